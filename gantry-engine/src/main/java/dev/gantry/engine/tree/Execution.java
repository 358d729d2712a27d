package dev.gantry.engine.tree;

import dev.gantry.engine.run.Outcome;

/** A node of a task's plan tree, ready to run: a step, or a decorator around other executions. */
public interface Execution {

    Outcome execute(TaskScope scope);
}
