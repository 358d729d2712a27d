package dev.gantry.core.plan;

/**
 * A node of a task's plan tree. Leaves are steps; timeout, retry and hooks are decorators around other nodes,
 * so the engine never checks such flags inside step execution.
 */
public sealed interface PlanNode permits StepNode, SequenceNode, TimeoutNode, NoOutputTimeoutNode, RetryNode,
        HooksNode, ServicesNode, LimitsNode, VolumesNode {
}
