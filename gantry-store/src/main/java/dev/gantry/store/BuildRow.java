package dev.gantry.store;

import java.time.Instant;
import java.util.List;

/**
 * A build as stored: what {@code build.json} records, and what the server will list.
 *
 * @param author     the commit's author, null when unknown
 * @param message    the commit message's first line, null when unknown
 * @param startedAt  when it was created: queued, or started at once
 * @param finishedAt null while it is queued or runs
 */
public record BuildRow(String id, String pipeline, long number, String pipelineFile, String pipelineDigest,
                       String commit, String branch, String tag, String author, String message, String trigger,
                       String status, Instant startedAt, Instant finishedAt, List<TaskRow> tasks) {

    public BuildRow {
        tasks = List.copyOf(tasks);
    }

    public BuildRow withStatus(String newStatus, Instant finished) {
        return new BuildRow(id, pipeline, number, pipelineFile, pipelineDigest, commit, branch, tag, author, message,
                trigger, newStatus, startedAt, finished, tasks);
    }

    public BuildRow withTasks(List<TaskRow> newTasks) {
        return new BuildRow(id, pipeline, number, pipelineFile, pipelineDigest, commit, branch, tag, author, message,
                trigger, status, startedAt, finishedAt, newTasks);
    }

    /** Whether it has ended: nothing about it changes any more. */
    public boolean hasEnded() {
        return finishedAt != null;
    }

    /** One task of a build. */
    public record TaskRow(String name, String job, String status, int attempts, Instant startedAt,
                          Instant finishedAt, Long durationMs, String reason) {
    }
}
