package dev.gantry.engine.batch;

import dev.gantry.core.batch.BatchFigures;
import dev.gantry.core.batch.Latencies;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The running counts of one batch run and its latencies, from which each progress call's figures are made. */
final class Tally {

    private final long startNanos = System.nanoTime();
    private volatile long total = -1;
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Latencies all = new Latencies();
    private Latencies sinceLast = new Latencies();

    void total(long items) {
        total = items;
    }

    long total() {
        return total;
    }

    synchronized void succeeded(Duration latency) {
        all.record(latency);
        sinceLast.record(latency);
        succeeded.incrementAndGet();
    }

    void failed() {
        failed.incrementAndGet();
    }

    void skipped() {
        skipped.incrementAndGet();
    }

    void attemptStarted(boolean retry) {
        inFlight.incrementAndGet();
        if (retry) {
            retries.incrementAndGet();
        }
    }

    void attemptEnded() {
        inFlight.decrementAndGet();
    }

    /** The latencies since the previous call. */
    synchronized Latencies takeSinceLast() {
        Latencies out = sinceLast;
        sinceLast = new Latencies();
        return out;
    }

    synchronized Latencies all() {
        return all.copy();
    }

    synchronized BatchFigures figures() {
        long ok = succeeded.get();
        long bad = failed.get();
        long done = ok + bad;
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        double seconds = elapsed.toNanos() / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        Duration eta = null;
        if (total >= 0 && rate > 0) {
            long left = Math.max(0, total - skipped.get() - done);
            eta = Duration.ofMillis((long) (left / rate * 1000));
        }
        return new BatchFigures(total, done, ok, bad, skipped.get(), retries.get(), inFlight.get(), elapsed, rate,
                eta, all.quantile(0.50), all.quantile(0.95), all.quantile(0.99));
    }
}
