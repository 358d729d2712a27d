package dev.gantry.core.plan;

import java.util.List;

/** Runs children in order, stopping at the first that does not succeed. */
public record SequenceNode(List<PlanNode> children) implements PlanNode {

    public SequenceNode {
        children = List.copyOf(children);
    }
}
