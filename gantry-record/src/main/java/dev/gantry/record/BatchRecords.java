package dev.gantry.record;

import dev.gantry.core.batch.BatchFigures;
import dev.gantry.core.batch.Latencies;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.store.BatchRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored rows of a build's batch steps, made from their events. Progress is written at most once a second per
 * step, timed by the events' own clock (a burst of progress events costs one write; the newest figures go with the
 * next write); a batch's end is always written, with the latency histogram of its whole run. A batch whose task
 * ends without its {@code BatchFinished} (cancelled, killed) is written {@code stopped} with its last figures.
 * Used by one thread: the recorder's writer.
 */
final class BatchRecords {

    /** The shortest time between two progress writes of one step. */
    static final Duration EVERY = Duration.ofSeconds(1);

    private final Map<Key, Open> open = new LinkedHashMap<>();

    private record Key(String task, String step) {
    }

    /** A batch that has not ended: its newest row, when a row was last written, the latencies seen so far. */
    private static final class Open {
        BatchRow last;
        Instant written;
        final Latencies latencies = new Latencies();
    }

    /** The row to write for this progress event; null when its step was written less than {@link #EVERY} ago. */
    BatchRow progress(BuildEvent.BatchProgress e) {
        Key key = new Key(e.task(), e.step());
        Open o = open.get(key);
        if (o == null || e.figures().done() < o.last.done()) { // a new run of the step, as a retried task's
            o = new Open();
            open.put(key, o);
        }
        if (e.latencies() != null) {
            o.latencies.add(e.latencies());
        }
        o.last = row(e.task(), e.step(), BatchRow.RUNNING, e.figures(), null, null, null, e.at());
        if (o.written != null && e.at().isBefore(o.written.plus(EVERY))) {
            return null;
        }
        o.written = e.at();
        return o.last;
    }

    /** The final row: {@code finished}, or {@code stopped} when the batch ended early. */
    BatchRow finished(BuildEvent.BatchFinished e) {
        open.remove(new Key(e.task(), e.step()));
        return row(e.task(), e.step(), e.failure() == null ? BatchRow.FINISHED : BatchRow.STOPPED, e.figures(),
                e.latencies(), e.failure(), e.output(), e.at());
    }

    /** The rows of the task's batches that never ended (all the build's for a null task), now {@code stopped}. */
    List<BatchRow> stopped(String task, Instant at, String why) {
        List<BatchRow> rows = new ArrayList<>();
        open.entrySet().removeIf(entry -> {
            if (task != null && !entry.getKey().task().equals(task)) {
                return false;
            }
            rows.add(entry.getValue().last.stopped(why, histogram(entry.getValue().latencies), at));
            return true;
        });
        return rows;
    }

    private static BatchRow row(String task, String step, String state, BatchFigures f, Latencies latencies,
                                String failure, String output, Instant at) {
        return new BatchRow(task, step, state, f.total(), f.done(), f.succeeded(), f.failed(), f.skipped(),
                f.retries(), millis(f.elapsed()), f.perSecond(),
                state.equals(BatchRow.RUNNING) && f.eta() != null ? f.eta().toMillis() : null, ms(f.p50()),
                ms(f.p95()), ms(f.p99()), histogram(latencies), failure, output, at);
    }

    /** The non-empty buckets, each with its upper bound in milliseconds (none for the last, unbounded one). */
    static List<BatchRow.Bucket> histogram(Latencies latencies) {
        List<BatchRow.Bucket> buckets = new ArrayList<>();
        if (latencies == null) {
            return buckets;
        }
        int last = Latencies.buckets() - 1;
        for (int i = 0; i <= last; i++) {
            long count = latencies.countAt(i);
            if (count > 0) {
                buckets.add(new BatchRow.Bucket(i == last ? null : ms(Latencies.upperBound(i)), count));
            }
        }
        return buckets;
    }

    private static long millis(Duration d) {
        return d == null ? 0 : d.toMillis();
    }

    private static Double ms(Duration d) {
        return d == null ? null : d.toNanos() / 1e6;
    }
}
