package dev.gantry.core.plan;

/**
 * Runs {@code child}, then {@code onSuccess} or {@code onFailure} by its result, then {@code ensure} whatever
 * happened. A failing hook fails the task.
 */
public record HooksNode(PlanNode child, SequenceNode onSuccess, SequenceNode onFailure, SequenceNode ensure)
        implements PlanNode {
}
