package dev.gantry.core.plan;

import dev.gantry.core.pipeline.Limits;

/** Watches the resources of everything {@code child} runs and stops it when it goes over {@code limits}. */
public record LimitsNode(Limits limits, PlanNode child) implements PlanNode {
}
