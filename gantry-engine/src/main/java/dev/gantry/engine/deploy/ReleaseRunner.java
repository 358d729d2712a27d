package dev.gantry.engine.deploy;

import dev.gantry.engine.cancel.Cancellation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Where a release's process runs, and how it is found and stopped again by any Gantry process, from its
 * {@link LaunchRecord} alone: as a local process ({@link LocalReleases}) or as a container (gantry-docker). A
 * release outlives the build that started it and the Gantry that did. Both implementations pass
 * {@code ReleaseRunnerContract}.
 */
public interface ReleaseRunner {

    /**
     * Starts {@code record}'s command with its output appended to {@code service.log} in {@code releaseDir}. The
     * returned supplier only tells whether it has exited (or crashed once) while it starts; it lives on without it.
     */
    BooleanSupplier launch(LaunchRecord record, Path releaseDir) throws IOException;

    /** Its running processes, as this machine numbers them where it can (empty: it does not run). */
    Set<Long> pids(LaunchRecord record);

    default boolean isRunning(LaunchRecord record) {
        return !pids(record).isEmpty();
    }

    /** Its stop signal, its grace period, then SIGKILL; returns once nothing of it runs. */
    void stop(LaunchRecord record);

    /**
     * After {@link #stop}: waits until {@code pids} (what ran before the stop) hold no GPU memory any more; returns
     * what still holds some after {@code limit}, empty when all was released or it cannot be told.
     */
    Optional<String> awaitGpuReleased(LaunchRecord record, Set<Long> pids, Duration limit, Cancellation cancel);
}
