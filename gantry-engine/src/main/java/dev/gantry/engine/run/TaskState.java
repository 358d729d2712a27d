package dev.gantry.engine.run;

/** Where a task (or a step, or the build) stands. */
public enum TaskState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, ERRORED, CANCELLED, SKIPPED, TIMED_OUT;

    public boolean isTerminal() {
        return this != QUEUED && this != RUNNING;
    }

    public boolean isSuccess() {
        return this == SUCCEEDED;
    }

    /** Lower case, as people read it in summaries: {@code timed out}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
