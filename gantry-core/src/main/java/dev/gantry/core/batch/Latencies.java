package dev.gantry.core.batch;

import java.time.Duration;
import java.util.Arrays;

/**
 * A latency histogram with log-spaced buckets (eight per doubling, from 0.1 ms to about 28 minutes), so that
 * percentiles are within about 9% of the truth whatever the spread, in constant memory. Not thread-safe: one writer,
 * or the caller synchronizes. {@link #add} merges another (a progress event carries the latencies since the last one).
 */
public final class Latencies {

    /** Buckets per doubling. */
    private static final int PER_DOUBLING = 8;
    private static final double FIRST_MICROS = 100;
    private static final int BUCKETS = 24 * PER_DOUBLING + 1;

    private final long[] counts;
    private long count;
    private long sumMicros;
    private long maxMicros;

    public Latencies() {
        this.counts = new long[BUCKETS];
    }

    private Latencies(long[] counts, long count, long sumMicros, long maxMicros) {
        this.counts = counts;
        this.count = count;
        this.sumMicros = sumMicros;
        this.maxMicros = maxMicros;
    }

    public void record(Duration latency) {
        long micros = Math.max(0, latency.toNanos() / 1000);
        counts[bucket(micros)]++;
        count++;
        sumMicros += micros;
        maxMicros = Math.max(maxMicros, micros);
    }

    public void add(Latencies other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        sumMicros += other.sumMicros;
        maxMicros = Math.max(maxMicros, other.maxMicros);
    }

    public Latencies copy() {
        return new Latencies(counts.clone(), count, sumMicros, maxMicros);
    }

    public long count() {
        return count;
    }

    public Duration sum() {
        return Duration.ofNanos(sumMicros * 1000);
    }

    public Duration max() {
        return Duration.ofNanos(maxMicros * 1000);
    }

    /** The latency below which {@code q} (0..1) of the recorded ones fall: its bucket's upper bound; null if none. */
    public Duration quantile(double q) {
        if (count == 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(q * count));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Duration.ofNanos(Math.min(upperMicros(i), maxMicros) * 1000);
            }
        }
        return max();
    }

    /** How many buckets there are; bucket {@code i} holds latencies up to {@link #upperBound(int)}. */
    public static int buckets() {
        return BUCKETS;
    }

    /** The upper bound of bucket {@code i}; the last bucket has no bound (it takes everything longer). */
    public static Duration upperBound(int i) {
        return i == BUCKETS - 1 ? Duration.ofSeconds(Long.MAX_VALUE / 4) : Duration.ofNanos(upperMicros(i) * 1000);
    }

    /** The count in bucket {@code i}. */
    public long countAt(int i) {
        return counts[i];
    }

    /** The counts, bucket by bucket (a copy). */
    public long[] counts() {
        return Arrays.copyOf(counts, BUCKETS);
    }

    private static long upperMicros(int i) {
        return i == BUCKETS - 1 ? Long.MAX_VALUE / 4_000 : (long) Math.ceil(FIRST_MICROS * Math.pow(2, i / (double) PER_DOUBLING));
    }

    private static int bucket(long micros) {
        if (micros <= FIRST_MICROS) {
            return 0;
        }
        int i = (int) Math.ceil(PER_DOUBLING * (Math.log(micros / FIRST_MICROS) / Math.log(2)));
        i = Math.min(Math.max(i, 0), BUCKETS - 1);
        while (i > 0 && micros <= upperMicros(i - 1)) {
            i--;
        }
        while (i < BUCKETS - 1 && micros > upperMicros(i)) {
            i++;
        }
        return i;
    }
}
