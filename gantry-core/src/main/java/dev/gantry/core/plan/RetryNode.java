package dev.gantry.core.plan;

import dev.gantry.core.pipeline.RetryPolicy;

/** Runs {@code child} again, from a fresh working copy, while it fails in a way the policy retries. */
public record RetryNode(RetryPolicy policy, PlanNode child) implements PlanNode {
}
