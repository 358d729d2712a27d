package dev.gantry.engine.batch;

import dev.gantry.core.batch.BatchFigures;
import dev.gantry.core.pipeline.Durations;
import java.time.Duration;
import java.util.Locale;

/** A batch's figures in words, the same on a terminal, in a step's log and in the summary. */
public final class FigureLines {

    private FigureLines() {
    }

    /**
     * One line for a terminal or a log: {@code 412/1000 · 38.2/s · ETA 15s · 3 retries · 2 errors}; counts include
     * what a previous run did.
     */
    public static String line(BatchFigures f) {
        StringBuilder b = new StringBuilder();
        b.append(f.done() + f.skipped()).append('/').append(f.total() < 0 ? "?" : Long.toString(f.total()));
        b.append(" · ").append(String.format(Locale.ROOT, "%.1f/s", f.perSecond()));
        if (f.eta() != null) {
            b.append(" · ETA ").append(Durations.format(f.eta()));
        }
        b.append(" · ").append(plural(f.retries(), "retry", "retries"));
        b.append(" · ").append(plural(f.failed(), "error", "errors"));
        return b.toString();
    }

    /** The end: what happened to the items, then throughput and latency. */
    public static String summary(BatchFigures f) {
        String items = String.format(Locale.ROOT, "%s: %d succeeded, %d failed, %d done before",
                plural(f.done() + f.skipped(), "item", "items"), f.succeeded(), f.failed(), f.skipped());
        String speed = String.format(Locale.ROOT, "%.1f items/s over %s", f.perSecond(),
                Durations.format(f.elapsed()));
        String latency = f.p50() == null ? "no successful request"
                : "latency p50 " + ms(f.p50()) + ", p95 " + ms(f.p95()) + ", p99 " + ms(f.p99());
        return items + "; " + speed + "; " + latency + "; " + plural(f.retries(), "retry", "retries");
    }

    private static String plural(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    private static String ms(Duration d) {
        return d.toMillis() < 10_000 ? d.toMillis() + "ms" : Durations.format(d);
    }
}
