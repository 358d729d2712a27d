package dev.gantry.core.plan;

import java.time.Duration;

/** Stops {@code child} when it prints nothing for {@code limit}: a hung step is noticed long before its timeout. */
public record NoOutputTimeoutNode(Duration limit, PlanNode child) implements PlanNode {
}
