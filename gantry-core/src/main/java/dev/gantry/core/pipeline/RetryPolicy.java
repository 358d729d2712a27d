package dev.gantry.core.pipeline;

import java.util.Set;

/**
 * How often a task is run again when it fails.
 *
 * @param attempts    total runs including the first (1 means no retry)
 * @param onExitCodes exit codes that justify another attempt; empty means any non-zero code
 * @param onTimeout   whether a timed-out attempt is tried again
 */
public record RetryPolicy(int attempts, Set<Integer> onExitCodes, boolean onTimeout) {

    public static final RetryPolicy NONE = new RetryPolicy(1, Set.of(), true);

    public RetryPolicy {
        onExitCodes = Set.copyOf(onExitCodes);
    }

    /** Whether a failure with this exit code (or a timeout, when {@code timedOut}) earns another attempt. */
    public boolean retries(boolean timedOut, int exitCode) {
        if (timedOut) {
            return onTimeout;
        }
        return onExitCodes.isEmpty() || onExitCodes.contains(exitCode);
    }
}
