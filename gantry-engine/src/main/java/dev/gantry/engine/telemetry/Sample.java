package dev.gantry.engine.telemetry;

import java.time.Instant;

/**
 * Resource use of one scope (a task's processes, or one of its services) at one moment.
 *
 * @param gpuUtilizationPercent mean utilisation of the GPUs the task was given; null without GPU data
 * @param gpuMemoryBytes        GPU memory the scope's processes hold; null without GPU data
 */
public record Sample(Instant at, String scope, double cpuPercent, long rssBytes, Integer gpuUtilizationPercent,
                     Long gpuMemoryBytes) {
}
