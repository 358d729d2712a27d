package dev.gantry.core.plan;

import java.time.Duration;

/** Stops {@code child} (its whole process tree) when it runs longer than {@code limit}; {@code scope} names it. */
public record TimeoutNode(Duration limit, String scope, PlanNode child) implements PlanNode {
}
