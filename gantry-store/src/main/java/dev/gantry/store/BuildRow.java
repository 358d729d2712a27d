package dev.gantry.store;

import java.time.Instant;
import java.util.List;

/**
 * A build as stored: what {@code build.json} records, and what the server will list.
 *
 * @param finishedAt null while it runs
 */
public record BuildRow(String id, String pipeline, long number, String pipelineFile, String pipelineDigest,
                       String commit, String branch, String tag, String trigger, String status, Instant startedAt,
                       Instant finishedAt, List<TaskRow> tasks) {

    public BuildRow {
        tasks = List.copyOf(tasks);
    }

    /** One task of a build. */
    public record TaskRow(String name, String job, String status, int attempts, Instant startedAt,
                          Instant finishedAt, Long durationMs, String reason) {
    }
}
