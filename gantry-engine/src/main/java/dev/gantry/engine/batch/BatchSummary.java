package dev.gantry.engine.batch;

import dev.gantry.core.batch.BatchFigures;
import dev.gantry.core.pipeline.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How a batch's figures read in a log: the periodic progress line and the closing summary. */
public final class BatchSummary {

    private BatchSummary() {
    }

    /** {@code batch: 812/1000 done (3 failed, 0 skipped), 41.2 items/s, 2 in flight, 5 retries, ETA 4s}. */
    public static String progress(BatchFigures f) {
        StringBuilder s = new StringBuilder("batch: ").append(f.done() + f.skipped());
        if (f.total() >= 0) {
            s.append('/').append(f.total());
        }
        s.append(" done (").append(f.failed()).append(" failed, ").append(f.skipped()).append(" skipped), ")
                .append(rate(f.perSecond())).append(" items/s, ").append(f.inFlight()).append(" in flight, ")
                .append(f.retries()).append(" retries");
        if (f.eta() != null) {
            s.append(", ETA ").append(duration(f.eta()));
        }
        return s.toString();
    }

    /**
     * The closing lines: counts, throughput, latency percentiles, where the results and errors are.
     *
     * @param output the output directory as the reader knows it
     */
    public static List<String> summary(BatchFigures f, String output) {
        List<String> lines = new ArrayList<>();
        lines.add("batch: " + f.succeeded() + " succeeded, " + f.failed() + " failed, " + f.skipped()
                + " skipped (done before) of " + f.total() + " in " + duration(f.elapsed()) + ": "
                + rate(f.perSecond()) + " items/s, " + f.retries() + " retries");
        if (f.p50() != null) {
            lines.add("batch latency: p50 " + duration(f.p50()) + ", p95 " + duration(f.p95()) + ", p99 "
                    + duration(f.p99()));
        }
        String dir = output.endsWith("/") ? output : output + "/";
        lines.add("batch results: " + dir + "results.jsonl" + (f.failed() > 0
                ? "; " + f.failed() + " error" + (f.failed() == 1 ? "" : "s") + " in " + dir + "errors.jsonl" : ""));
        return lines;
    }

    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%.1f", perSecond);
    }

    /** {@code 850ms} below a second, else as everywhere else ({@code 1.80s}, {@code 12.3s}, {@code 4m05s}). */
    static String duration(Duration d) {
        return d.toMillis() < 1000 ? d.toMillis() + "ms" : Durations.format(d);
    }
}
