package dev.gantry.engine.exec;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Where tasks run. The engine asks an executor for a working copy per task attempt, starts step processes in
 * it, and stops whatever a task left running. Every implementation passes {@code ExecutorContract}.
 */
public interface Executor {

    /** The counted capacities this executor offers, e.g. {@code gpu=2, tts-slot=3}. */
    Map<String, Integer> pools();

    /** A fresh, private working copy of the source for one attempt of one task. */
    Path prepareWorkingCopy(String taskKey, int attempt) throws IOException;

    /** Removes a working copy once its task is over. */
    void discardWorkingCopy(Path workingCopy);

    /** Starts a step's process in its own process group. */
    StepProcess start(ProcessSpec spec) throws IOException;

    /** Stops every process still carrying {@code marker} ({@code KEY=value}): SIGTERM, grace, SIGKILL. */
    void stopAll(String marker, Duration grace);

    /**
     * Where tasks are placed: this executor's hosts and the pools each offers. Every build that runs on the same
     * hosts must get the same instance, so that no host is over-committed across builds.
     */
    default dev.gantry.engine.pool.Placement placement() {
        return dev.gantry.engine.pool.Placement.local(pools());
    }

    /**
     * Whether a task with {@code image} runs in a container, so that Gantry's own environment (the shell's that
     * started it) must not be passed in: the image's is used instead.
     */
    default boolean isolates(dev.gantry.core.pipeline.ImageRef image) {
        return false;
    }

    /**
     * This executor bound to one task: what its working copies are prepared by and its steps and services started
     * through. Local processes need no binding; a container executor creates the task's container here (or on its
     * first working copy). Closed when the task ends.
     */
    default TaskExecutor forTask(TaskSetup task) throws IOException {
        return TaskExecutor.of(this);
    }
}
