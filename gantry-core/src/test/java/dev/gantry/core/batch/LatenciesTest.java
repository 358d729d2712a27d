package dev.gantry.core.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The latency histogram: quantiles close to the exact ones whatever the spread, merging, copying. */
class LatenciesTest {

    private static final double[] QUANTILES = {0.01, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0};

    /** The exact quantile with the histogram's rank: the smallest value with at least q of them at or below it. */
    private static long exact(long[] sortedMicros, double q) {
        int rank = (int) Math.max(1, Math.ceil(q * sortedMicros.length));
        return sortedMicros[rank - 1];
    }

    private static void assertClose(Latencies l, long[] micros) {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        for (double q : QUANTILES) {
            double truth = exact(sorted, q);
            double got = l.quantile(q).toNanos() / 1000.0;
            assertThat(got).as("quantile %s", q).isCloseTo(truth, within(truth * 0.09 + 1));
        }
    }

    private static Latencies of(long[] micros) {
        Latencies l = new Latencies();
        for (long m : micros) {
            l.record(Duration.ofNanos(m * 1000));
        }
        return l;
    }

    @Test
    void quantilesOfAUniformSpreadAreWithinNinePercent() {
        long[] micros = LongStream.rangeClosed(1, 10_000).map(ms -> ms * 1000).toArray();
        Latencies l = of(micros);
        assertClose(l, micros);
        assertThat(l.count()).isEqualTo(10_000);
        assertThat(l.max()).isEqualTo(Duration.ofSeconds(10));
        assertThat(l.sum()).isEqualTo(Duration.ofMillis(10_000L * 10_001 / 2));
    }

    @Test
    void quantilesOfALongTailedSpreadAreWithinNinePercent() {
        Random random = new Random(42);
        long[] micros = new long[50_000];
        for (int i = 0; i < micros.length; i++) {
            micros[i] = (long) Math.exp(Math.log(80_000) + 0.8 * random.nextGaussian());   // log-normal around 80 ms
        }
        assertClose(of(micros), micros);
    }

    @Test
    void tinyLatenciesReadAsAtMostTheLongestRecorded() {
        Latencies l = of(new long[] {30, 50});
        assertThat(l.quantile(0.5)).isEqualTo(Duration.ofNanos(50_000));
        assertThat(l.quantile(1.0)).isEqualTo(Duration.ofNanos(50_000));
        assertThat(l.countAt(0)).isEqualTo(2);
    }

    @Test
    void anEmptyHistogramHasNoQuantiles() {
        Latencies l = new Latencies();
        assertThat(l.count()).isZero();
        assertThat(l.quantile(0.5)).isNull();
        assertThat(l.quantile(0.99)).isNull();
        assertThat(l.sum()).isZero();
        assertThat(l.max()).isZero();
        assertThat(l.counts()).containsOnly(0L);
    }

    @Test
    void addingMergesAsIfEveryLatencyHadBeenRecordedInOne() {
        Random random = new Random(7);
        long[] a = random.longs(3_000, 100, 2_000_000).toArray();
        long[] b = random.longs(5_000, 1_000, 30_000_000).toArray();
        Latencies merged = of(a);
        merged.add(of(b));
        long[] all = LongStream.concat(Arrays.stream(a), Arrays.stream(b)).toArray();
        Latencies one = of(all);
        assertThat(merged.count()).isEqualTo(8_000);
        assertThat(merged.counts()).isEqualTo(one.counts());
        assertThat(merged.sum()).isEqualTo(one.sum());
        assertThat(merged.max()).isEqualTo(one.max());
        for (double q : QUANTILES) {
            assertThat(merged.quantile(q)).isEqualTo(one.quantile(q));
        }
        assertClose(merged, all);
    }

    @Test
    void aCopyIsIndependentOfItsOriginal() {
        Latencies l = of(new long[] {1_000, 2_000});
        Latencies copy = l.copy();
        l.record(Duration.ofSeconds(9));
        assertThat(copy.count()).isEqualTo(2);
        assertThat(copy.max()).isEqualTo(Duration.ofMillis(2));
        assertThat(l.count()).isEqualTo(3);
        copy.record(Duration.ofMillis(1));
        assertThat(l.count()).as("the original does not see what the copy records").isEqualTo(3);
        assertThat(Arrays.stream(l.counts()).sum()).isEqualTo(3);
    }

    @Test
    void eachLatencyFallsInTheBucketWhoseBoundsHoldIt() {
        for (long micros : new long[] {101, 1_000, 12_345, 999_999, 60_000_000}) {
            Latencies l = of(new long[] {micros});
            int bucket = -1;
            for (int i = 0; i < Latencies.buckets(); i++) {
                if (l.countAt(i) == 1) {
                    bucket = i;
                }
            }
            assertThat(bucket).isPositive();
            assertThat(Latencies.upperBound(bucket)).isGreaterThanOrEqualTo(Duration.ofNanos(micros * 1000));
            assertThat(Latencies.upperBound(bucket - 1)).isLessThan(Duration.ofNanos(micros * 1000));
        }
        for (int i = 1; i < Latencies.buckets(); i++) {
            assertThat(Latencies.upperBound(i)).isGreaterThan(Latencies.upperBound(i - 1));
        }
    }
}
