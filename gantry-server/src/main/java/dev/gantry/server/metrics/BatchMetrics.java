package dev.gantry.server.metrics;

import dev.gantry.core.batch.BatchFigures;
import dev.gantry.core.batch.Latencies;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.event.BuildListener;
import java.util.HashMap;
import java.util.Map;

/**
 * Feeds the batch metrics from one build's events: the items counters and retries from the growth of each step's
 * figures (they are cumulative, so each progress event adds what is new since the one before: nothing is counted
 * twice), the latency histogram from each progress event's latencies (those since the one before) and, at the
 * batch's end, whatever its whole-run latencies hold beyond what the progress events brought. Labelled by pipeline
 * only, so the series stay few.
 */
final class BatchMetrics implements BuildListener {

    private final ServerMetrics metrics;
    private final String pipeline;
    private final Map<Key, Seen> seen = new HashMap<>();

    BatchMetrics(ServerMetrics metrics, String pipeline) {
        this.metrics = metrics;
        this.pipeline = pipeline;
    }

    private record Key(String task, String step) {
    }

    /** What one step's metrics have counted so far. */
    private static final class Seen {
        long succeeded;
        long failed;
        long retries;
        final Latencies latencies = new Latencies();
    }

    @Override
    public synchronized void on(BuildEvent event) {
        if (event instanceof BuildEvent.BatchProgress e) {
            Seen s = seen(new Key(e.task(), e.step()), e.figures());
            count(s, e.figures());
            if (e.latencies() != null && e.latencies().count() > 0) {
                metrics.batchLatencies(pipeline, e.latencies().counts(), e.latencies().sum().toNanos() / 1000);
                s.latencies.add(e.latencies());
            }
        } else if (event instanceof BuildEvent.BatchFinished e) {
            Key key = new Key(e.task(), e.step());
            Seen s = seen(key, e.figures());
            count(s, e.figures());
            if (e.latencies() != null) {
                long[] rest = e.latencies().counts();
                for (int i = 0; i < rest.length; i++) {
                    rest[i] = Math.max(0, rest[i] - s.latencies.countAt(i));
                }
                long restSum = Math.max(0, (e.latencies().sum().toNanos() - s.latencies.sum().toNanos()) / 1000);
                if (java.util.Arrays.stream(rest).anyMatch(c -> c > 0)) {
                    metrics.batchLatencies(pipeline, rest, restSum);
                }
            }
            seen.remove(key);
        }
    }

    /** The step's counts so far; fresh when the figures went back (a new run of the step, as a retried task's). */
    private Seen seen(Key key, BatchFigures f) {
        Seen s = seen.get(key);
        if (s == null || f.succeeded() < s.succeeded || f.failed() < s.failed || f.retries() < s.retries) {
            s = new Seen();
            seen.put(key, s);
        }
        return s;
    }

    private void count(Seen s, BatchFigures f) {
        metrics.batchItems(pipeline, f.succeeded() - s.succeeded, f.failed() - s.failed, f.retries() - s.retries);
        s.succeeded = f.succeeded();
        s.failed = f.failed();
        s.retries = f.retries();
    }
}
