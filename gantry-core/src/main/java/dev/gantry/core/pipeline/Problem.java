package dev.gantry.core.pipeline;

/**
 * One thing wrong with a pipeline: where it is, the path of the offending key
 * ({@code jobs.e2e.steps[2].run}) and what to do about it.
 */
public record Problem(Location location, String path, String message) {

    /** The one-line form printed by {@code gantry validate}: {@code file:line:col: path: message}. */
    public String format() {
        return location + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
