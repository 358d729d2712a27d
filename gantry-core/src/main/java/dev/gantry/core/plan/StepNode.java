package dev.gantry.core.plan;

import dev.gantry.core.pipeline.StepDef;

/** Runs one step. */
public record StepNode(StepDef step) implements PlanNode {
}
