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
}
