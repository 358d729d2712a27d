package dev.gantry.store;

import java.time.Instant;

/**
 * One step of a task as stored.
 *
 * @param seq        its place in the task (0, 1, ...), counting every step the task started, hooks included
 * @param durationMs null while it runs
 */
public record StepRow(int seq, String name, String status, Instant startedAt, Long durationMs) {

    /** A step with the task it belongs to. */
    public record OfTask(String task, StepRow step) {
    }
}
