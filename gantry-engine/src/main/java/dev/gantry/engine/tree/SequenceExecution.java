package dev.gantry.engine.tree;

import dev.gantry.engine.run.Outcome;
import java.util.List;

/** Runs children in order and stops at the first that does not succeed. */
record SequenceExecution(List<Execution> children) implements Execution {

    @Override
    public Outcome execute(TaskScope scope) {
        for (Execution child : children) {
            Outcome o = child.execute(scope);
            if (!o.succeeded()) {
                return o;
            }
        }
        return Outcome.SUCCESS;
    }

    boolean isEmpty() {
        return children.isEmpty();
    }
}
