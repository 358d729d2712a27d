package dev.gantry.core.pipeline;

import java.time.Duration;
import java.util.List;

/**
 * Pipeline-wide defaults.
 *
 * @param timeout     a job attempt's time limit when the job sets none
 * @param shell       the command line a {@code run} step's script is appended to
 * @param gracePeriod how long a stopped process tree gets between SIGTERM and SIGKILL
 * @param image       every job's container image unless it names its own; null for none
 */
public record Defaults(Duration timeout, List<String> shell, Duration gracePeriod, ImageRef image) {

    public static final Duration TIMEOUT = Duration.ofHours(1);
    public static final List<String> SHELL = List.of("bash", "-eo", "pipefail", "-c");
    public static final Duration GRACE_PERIOD = Duration.ofSeconds(10);

    public static Defaults standard() {
        return new Defaults(TIMEOUT, SHELL, GRACE_PERIOD, null);
    }

    public Defaults {
        shell = List.copyOf(shell);
    }
}
