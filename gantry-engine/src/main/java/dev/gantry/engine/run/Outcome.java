package dev.gantry.engine.run;

/**
 * The result of running one node of a plan tree.
 *
 * @param exitCode the step's exit code, or -1 when it has none (timed out, cancelled, never started)
 * @param reason   why it did not succeed, for people; null on success
 */
public record Outcome(TaskState state, int exitCode, String reason) {

    public static final Outcome SUCCESS = new Outcome(TaskState.SUCCEEDED, 0, null);

    public static Outcome failed(int exitCode) {
        return new Outcome(TaskState.FAILED, exitCode, "exit code " + exitCode);
    }

    public static Outcome errored(String reason) {
        return new Outcome(TaskState.ERRORED, -1, reason);
    }

    public boolean succeeded() {
        return state == TaskState.SUCCEEDED;
    }
}
