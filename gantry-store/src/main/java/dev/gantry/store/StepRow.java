package dev.gantry.store;

import java.time.Instant;

/**
 * One step of a task as stored.
 *
 * @param seq        its place in the task (0, 1, ...), counting every step the task started, hooks included
 * @param durationMs null while it runs
 * @param firstLine  the number (0-based) of the task's log line its output starts at; null when unknown
 * @param exitCode   the exit code it ended with (-1 when it ended without one: errored, timed out); null while it runs
 */
public record StepRow(int seq, String name, String status, Instant startedAt, Long durationMs, Long firstLine,
                      Integer exitCode) {

    /** A step whose place in the log and exit code are not known. */
    public StepRow(int seq, String name, String status, Instant startedAt, Long durationMs) {
        this(seq, name, status, startedAt, durationMs, null, null);
    }

    /** A step with the task it belongs to. */
    public record OfTask(String task, StepRow step) {
    }
}
