package dev.gantry.store;

import java.time.Instant;
import java.util.List;

/**
 * Where one {@code batch} step of a build stands, or how it ended: what the build page and the API show. One row per
 * build, task and step, replaced as the batch goes on.
 *
 * @param state     {@value #RUNNING}, {@value #FINISHED} (every item ended in results or errors) or {@value #STOPPED}
 *                  (the batch ended early: {@code failure} says why)
 * @param total     items in the input, or -1 while not yet counted
 * @param done      items that ended in this run: succeeded + failed
 * @param skipped   items an earlier run had already finished
 * @param etaMs     null when unknown or ended
 * @param p50Ms     latency percentiles of the successful requests, in milliseconds; null before the first
 * @param histogram the latency histogram's non-empty buckets, lowest first; empty until the batch ends
 * @param output    the batch's output directory, or null while it runs
 */
public record BatchRow(String task, String step, String state, long total, long done, long succeeded, long failed,
                       long skipped, long retries, long elapsedMs, double perSecond, Long etaMs, Double p50Ms,
                       Double p95Ms, Double p99Ms, List<Bucket> histogram, String failure, String output,
                       Instant updatedAt) {

    public static final String RUNNING = "running";
    public static final String FINISHED = "finished";
    public static final String STOPPED = "stopped";

    public BatchRow {
        histogram = histogram == null ? List.of() : List.copyOf(histogram);
    }

    /** This row ended early: {@value #STOPPED}, with no ETA, saying why. */
    public BatchRow stopped(String why, List<Bucket> latencies, Instant at) {
        return new BatchRow(task, step, STOPPED, total, done, succeeded, failed, skipped, retries, elapsedMs,
                perSecond, null, p50Ms, p95Ms, p99Ms, latencies, why, output, at);
    }

    /** Whether it finished or stopped (a running row may still change). */
    public boolean hasEnded() {
        return !RUNNING.equals(state);
    }

    /**
     * One bucket of a latency histogram.
     *
     * @param upToMs the bucket's upper bound in milliseconds (it holds latencies above the previous bucket's bound,
     *               up to this one); null for the last bucket, which holds everything longer
     */
    public record Bucket(Double upToMs, long count) {
    }
}
