package dev.gantry.engine.exec;

import dev.gantry.core.pipeline.ImageRef;
import dev.gantry.core.pipeline.SecretRef;
import dev.gantry.engine.pool.Allocation;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * What an executor needs to know of one task before its first step: where the scheduler placed it, the image it
 * runs in, and how it is stopped.
 *
 * @param taskId      the task's id ({@code build id . task key}), unique across builds
 * @param buildId     the build's id, for labels
 * @param task        the task's display name
 * @param image       the job's image; null to run as local processes
 * @param allocation  the host and slots the scheduler gave it (GPU slots are device indices on that host)
 * @param memoryBytes the job's {@code limits.memory}; null for none
 * @param stopSignal  the signal that stops it (TERM unless a job says otherwise)
 * @param grace       how long it gets between the stop signal and SIGKILL
 * @param services    the names of the job's services, by which its steps reach them
 * @param secrets     resolves secret references (registry credentials)
 */
public record TaskSetup(String taskId, String buildId, String task, ImageRef image, Allocation allocation,
                        Long memoryBytes, String stopSignal, Duration grace, List<String> services,
                        Function<SecretRef, String> secrets) {

    public TaskSetup {
        services = List.copyOf(services);
    }
}
