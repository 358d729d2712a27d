package dev.gantry.engine.exec;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * An executor bound to one task ({@link Executor#forTask}): prepares each attempt's working copy, starts the
 * task's steps and services, and on {@link #close} removes whatever it created for the task.
 */
public interface TaskExecutor extends Executor, AutoCloseable {

    /** Starts a job service: locally a process like a step; on Docker a container sharing the task's network. */
    default StepProcess startService(ServiceSpec service) throws IOException {
        return start(service.process());
    }

    /** The address at which Gantry reaches this task's services (their probes); 127.0.0.1 locally. */
    default String serviceAddress() {
        return "127.0.0.1";
    }

    /**
     * Where the resource use of {@code scope} ({@code task}, {@code service:NAME}) is read, when this executor knows
     * better than the processes' marker in {@code /proc}: a container's cgroup on Docker. Empty: by marker.
     *
     * @param byMarker the scope's processes, by their marker (for GPU memory by process)
     */
    default java.util.Optional<dev.gantry.engine.telemetry.Meter> meter(String scope,
                                                                      dev.gantry.engine.process.ProcessTree.Selector byMarker) {
        return java.util.Optional.empty();
    }

    @Override
    default void close() {
    }

    /** A task binding that needs nothing of its own: every call goes to {@code executor}. */
    static TaskExecutor of(Executor executor) {
        return new TaskExecutor() {
            @Override
            public Map<String, Integer> pools() {
                return executor.pools();
            }

            @Override
            public Path prepareWorkingCopy(String taskKey, int attempt) throws IOException {
                return executor.prepareWorkingCopy(taskKey, attempt);
            }

            @Override
            public void discardWorkingCopy(Path workingCopy) {
                executor.discardWorkingCopy(workingCopy);
            }

            @Override
            public StepProcess start(ProcessSpec spec) throws IOException {
                return executor.start(spec);
            }

            @Override
            public void stopAll(String marker, Duration grace) {
                executor.stopAll(marker, grace);
            }
        };
    }
}
