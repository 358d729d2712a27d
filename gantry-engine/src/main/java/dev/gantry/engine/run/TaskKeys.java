package dev.gantry.engine.run;

import dev.gantry.core.plan.TaskNames;

/** Turns a task name such as {@code test[os=linux][1]} into a form safe for file names and markers. */
public final class TaskKeys {

    private TaskKeys() {
    }

    /** See {@link TaskNames#key}, which the validator uses to refuse pipelines whose tasks would share a key. */
    public static String key(String taskName) {
        return TaskNames.key(taskName);
    }
}
