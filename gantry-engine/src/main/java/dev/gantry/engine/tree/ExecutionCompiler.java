package dev.gantry.engine.tree;

import dev.gantry.core.plan.HooksNode;
import dev.gantry.core.plan.LimitsNode;
import dev.gantry.core.plan.NoOutputTimeoutNode;
import dev.gantry.core.plan.PlanNode;
import dev.gantry.core.plan.RetryNode;
import dev.gantry.core.plan.SequenceNode;
import dev.gantry.core.plan.ServicesNode;
import dev.gantry.core.plan.StepNode;
import dev.gantry.core.plan.TimeoutNode;
import dev.gantry.core.plan.VolumesNode;
import dev.gantry.engine.step.StepRunners;

/** Turns a task's plan tree into executions: one execution class per plan node type. */
public final class ExecutionCompiler {

    private final StepRunners runners;

    public ExecutionCompiler(StepRunners runners) {
        this.runners = runners;
    }

    public Execution compile(PlanNode node) {
        return compile(node, "");
    }

    private Execution compile(PlanNode node, String labelPrefix) {
        if (node instanceof StepNode s) {
            return new StepExecution(s.step(), labelPrefix + s.step().name(), runners.get(s.step().type()));
        }
        if (node instanceof SequenceNode s) {
            return sequence(s, labelPrefix);
        }
        if (node instanceof TimeoutNode t) {
            return new TimeoutExecution(t.limit(), t.scope(), compile(t.child(), labelPrefix));
        }
        if (node instanceof NoOutputTimeoutNode n) {
            return new NoOutputTimeoutExecution(n.limit(), compile(n.child(), labelPrefix));
        }
        if (node instanceof ServicesNode s) {
            return new ServicesExecution(s.services(), compile(s.child(), labelPrefix));
        }
        if (node instanceof VolumesNode v) {
            return new VolumesExecution(v.volumes(), compile(v.child(), labelPrefix));
        }
        if (node instanceof LimitsNode l) {
            return new LimitsExecution(l.limits(), compile(l.child(), labelPrefix));
        }
        if (node instanceof RetryNode r) {
            return new RetryExecution(r.policy(), compile(r.child(), labelPrefix),
                    sequence(r.betweenAttempts(), "before retrying: "));
        }
        HooksNode h = (HooksNode) node;
        return new HooksExecution(compile(h.child(), labelPrefix), sequence(h.onSuccess(), "on_success: "),
                sequence(h.onFailure(), "on_failure: "), sequence(h.ensure(), "ensure: "));
    }

    private SequenceExecution sequence(SequenceNode s, String labelPrefix) {
        return new SequenceExecution(s.children().stream().map(c -> compile(c, labelPrefix)).toList());
    }
}
