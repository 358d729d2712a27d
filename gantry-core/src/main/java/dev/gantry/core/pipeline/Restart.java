package dev.gantry.core.pipeline;

import java.time.Duration;

/**
 * A service's crash restarts: at most {@code max} within {@code within}; past that it is given up. A job's service
 * without {@code restart:} is never restarted (its exit fails the job); a deploy's service restarts by
 * {@link #STANDARD} unless it says otherwise.
 *
 * @param within null to count every restart while the service runs (a job's service, for its task's whole run)
 */
public record Restart(int max, Duration within) {

    public static final Restart STANDARD = new Restart(3, Duration.ofMinutes(10));
}
