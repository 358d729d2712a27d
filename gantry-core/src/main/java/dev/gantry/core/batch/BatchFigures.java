package dev.gantry.core.batch;

import dev.gantry.core.pipeline.Durations;
import java.time.Duration;
import java.util.Locale;

/**
 * Where a batch stands: what the progress line, the {@code --json} events, the build page and the summary show.
 *
 * @param total     items in the input (its non-blank lines), or -1 while not yet counted
 * @param done      items that ended in this run: succeeded + failed
 * @param skipped   items a previous run already finished (resumed past)
 * @param retries   attempts past the first, so far
 * @param inFlight  requests under way now
 * @param perSecond items ended per second of this run
 * @param eta       null when unknown
 * @param p50       latency percentiles of the successful requests so far, null before the first
 */
public record BatchFigures(long total, long done, long succeeded, long failed, long skipped, long retries,
                           int inFlight, Duration elapsed, double perSecond, Duration eta, Duration p50,
                           Duration p95, Duration p99) {

    /**
     * One line for a terminal or a log: {@code 412/1000 · 38.2/s · ETA 15s · 3 retries · 2 errors}; counts
     * include what a previous run did.
     */
    public String line() {
        StringBuilder b = new StringBuilder();
        b.append(done + skipped).append('/').append(total < 0 ? "?" : Long.toString(total));
        b.append(" · ").append(String.format(Locale.ROOT, "%.1f/s", perSecond));
        if (eta != null) {
            b.append(" · ETA ").append(Durations.format(eta));
        }
        b.append(" · ").append(retries).append(retries == 1 ? " retry" : " retries");
        b.append(" · ").append(failed).append(failed == 1 ? " error" : " errors");
        return b.toString();
    }

    /** The end: what happened to the items, then throughput and latency. */
    public String summary() {
        String items = String.format(Locale.ROOT, "%d item%s: %d succeeded, %d failed, %d done before",
                done + skipped, done + skipped == 1 ? "" : "s", succeeded, failed, skipped);
        String speed = String.format(Locale.ROOT, "%.1f items/s over %s", perSecond, Durations.format(elapsed));
        String latency = p50 == null ? "no successful request"
                : "latency p50 " + ms(p50) + ", p95 " + ms(p95) + ", p99 " + ms(p99);
        return items + "; " + speed + "; " + latency + "; " + retries + (retries == 1 ? " retry" : " retries");
    }

    private static String ms(Duration d) {
        return d.toMillis() < 10_000 ? d.toMillis() + "ms" : Durations.format(d);
    }
}
