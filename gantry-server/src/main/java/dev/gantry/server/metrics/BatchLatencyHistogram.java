package dev.gantry.server.metrics;

import dev.gantry.core.batch.Latencies;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@value #NAME}: a Prometheus histogram of batch items' latencies, by pipeline, fed with bucket counts rather than
 * single observations (a batch reports its latencies as a {@link Latencies} histogram; Micrometer's timers take only
 * observations, so this is a collector of its own on the registry). Its bounds are powers of two from 0.8 ms to
 * 104.9 s, each of them also a bound of {@link Latencies}' finer buckets, so every fine bucket falls wholly into one
 * of these: the counts are exactly those of a histogram that had observed each latency (to the microsecond).
 */
final class BatchLatencyHistogram implements Collector {

    static final String NAME = "gantry_batch_item_latency_seconds";

    /** Powers of two times 0.1 ms: the bounds of every eighth bucket of {@link Latencies}. */
    private static final long[] BOUND_MICROS = new long[18];
    /** For each fine bucket, the index of the bucket of this histogram that holds it (the last is +Inf). */
    private static final int[] TARGET = new int[Latencies.buckets()];

    static {
        for (int k = 0; k < BOUND_MICROS.length; k++) {
            BOUND_MICROS[k] = 100L << (k + 3);
        }
        for (int i = 0; i < TARGET.length; i++) {
            TARGET[i] = BOUND_MICROS.length; // +Inf
            if (i < TARGET.length - 1) {
                long upper = Latencies.upperBound(i).toNanos() / 1000;
                for (int k = 0; k < BOUND_MICROS.length; k++) {
                    if (upper <= BOUND_MICROS[k]) {
                        TARGET[i] = k;
                        break;
                    }
                }
            }
        }
    }

    /** Per pipeline: the count in each bucket (not cumulative, +Inf last) and the sum in microseconds. */
    private final Map<String, long[]> counts = new TreeMap<>();
    private final Map<String, Long> sums = new TreeMap<>();

    /**
     * Adds latencies to the pipeline's series.
     *
     * @param fineCounts counts per bucket of {@link Latencies}
     * @param sumMicros  their sum
     */
    synchronized void add(String pipeline, long[] fineCounts, long sumMicros) {
        long[] mine = counts.computeIfAbsent(pipeline, p -> new long[BOUND_MICROS.length + 1]);
        for (int i = 0; i < fineCounts.length; i++) {
            mine[TARGET[i]] += fineCounts[i];
        }
        sums.merge(pipeline, sumMicros, Long::sum);
    }

    @Override
    public String getPrometheusName() {
        return NAME;
    }

    @Override
    public synchronized MetricSnapshot collect() {
        double[] bounds = new double[BOUND_MICROS.length + 1];
        for (int k = 0; k < BOUND_MICROS.length; k++) {
            bounds[k] = BOUND_MICROS[k] / 1e6;
        }
        bounds[BOUND_MICROS.length] = Double.POSITIVE_INFINITY;
        HistogramSnapshot.Builder snapshot = HistogramSnapshot.builder().name(NAME).unit(Unit.SECONDS)
                .help("Latency of the batch steps' successful requests, by pipeline");
        counts.forEach((pipeline, c) -> {
            HistogramSnapshot.HistogramDataPointSnapshot.Builder point =
                    HistogramSnapshot.HistogramDataPointSnapshot.builder();
            point.classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, Arrays.copyOf(c, c.length)));
            point.labels(Labels.of("pipeline", pipeline));
            point.sum(sums.get(pipeline) / 1e6);
            snapshot.dataPoint(point.build());
        });
        return snapshot.build();
    }
}
