package dev.gantry.engine.probe;

import dev.gantry.core.pipeline.ProbeDef;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a probe to pass {@code success_threshold} times in a row. Polls fast at first (10 ms) and backs
 * off, never waiting more than 100 ms (or {@code period}, if shorter) between probes during start-up, so a
 * ready service is noticed within about 100 ms. Failures before {@code startup_timeout} runs out don't count.
 */
public final class Readiness {

    static final long FIRST_INTERVAL_MS = 10;
    static final long MAX_STARTUP_INTERVAL_MS = 100;

    private Readiness() {
    }

    /** How waiting ended. */
    public sealed interface Result {

        /** Passed, {@code after} the wait began. */
        record Ready(Duration after, ProbeResult last) implements Result {
        }

        /** {@code abort} said to stop (the service exited, or the task was cancelled). */
        record Aborted(Duration after, ProbeResult last) implements Result {
        }

        /** The start-up budget ran out. */
        record TimedOut(Duration after, ProbeResult last) implements Result {
        }
    }

    public static Result await(Probe probe, ProbeDef def, BooleanSupplier abort) {
        long start = System.nanoTime();
        long budget = def.startupTimeout().toNanos();
        long maxInterval = Math.max(1, Math.min(def.period().toMillis(), MAX_STARTUP_INTERVAL_MS));
        ProbeResult last = null;
        if (!sleepUnlessAborted(def.initialDelay().toMillis(), abort)) {
            return new Result.Aborted(since(start), null);
        }
        long interval = Math.min(FIRST_INTERVAL_MS, maxInterval);
        int successes = 0;
        while (true) {
            if (abort.getAsBoolean()) {
                return new Result.Aborted(since(start), last);
            }
            last = probe.check(def.timeout());
            successes = last.success() ? successes + 1 : 0;
            if (successes >= def.successThreshold()) {
                return new Result.Ready(since(start), last);
            }
            long left = budget - (System.nanoTime() - start);
            if (left <= 0) {
                return new Result.TimedOut(since(start), last);
            }
            if (!sleepUnlessAborted(Math.min(interval, left / 1_000_000 + 1), abort)) {
                return new Result.Aborted(since(start), last);
            }
            interval = Math.min(maxInterval, interval * 2);
        }
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Sleeps in short slices so an abort is noticed quickly; false when aborted. */
    private static boolean sleepUnlessAborted(long ms, BooleanSupplier abort) {
        long end = System.nanoTime() + ms * 1_000_000;
        while (true) {
            if (abort.getAsBoolean()) {
                return false;
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            try {
                Thread.sleep(Math.min(10, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
