package dev.gantry.store;

import java.time.Instant;

/** What a build leaves besides its tasks and logs: test results, artifacts, cache uses, telemetry samples. */
public final class ResultRows {

    private ResultRows() {
    }

    /** One test as a report recorded it. */
    public record TestRow(String task, String suite, String className, String name, String status, double seconds,
                          String message) {
    }

    /** One file a step kept, under the build's {@code artifacts/NAME/} directory. */
    public record ArtifactRow(String task, String name, String path, long bytes) {
    }

    /**
     * A cache step's result: {@code saved}, {@code exists}, {@code restored} or {@code missed}.
     *
     * @param bytes null for a miss
     */
    public record CacheRow(String task, String action, String key, Long bytes, long tookMs, Instant at) {
    }

    /** Resource use of one scope of a task at one moment. */
    public record TelemetryRow(String task, String scope, Instant at, double cpuPercent, long rssBytes,
                               Integer gpuPercent, Long gpuBytes) {
    }
}
