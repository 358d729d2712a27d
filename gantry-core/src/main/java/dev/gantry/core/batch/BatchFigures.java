package dev.gantry.core.batch;

import java.time.Duration;

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
}
