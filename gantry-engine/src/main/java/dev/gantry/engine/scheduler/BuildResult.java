package dev.gantry.engine.scheduler;

import dev.gantry.engine.run.TaskRun;
import dev.gantry.engine.run.TaskState;
import java.time.Duration;
import java.util.List;

/** How a build ended: its overall state and every task's run state, in plan order. */
public record BuildResult(TaskState state, List<TaskRun> tasks, Duration duration) {

    public BuildResult {
        tasks = List.copyOf(tasks);
    }
}
