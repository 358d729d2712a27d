package dev.gantry.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.batch.Latencies;
import dev.gantry.store.BatchRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BatchesTest {

    /** The histogram as the recorder stores it: each non-empty bucket of {@link Latencies} with its bound. */
    private static BatchRow finished(Latencies l) {
        List<BatchRow.Bucket> buckets = new ArrayList<>();
        for (int i = 0; i < Latencies.buckets(); i++) {
            if (l.countAt(i) > 0) {
                buckets.add(new BatchRow.Bucket(i == Latencies.buckets() - 1 ? null
                        : Latencies.upperBound(i).toNanos() / 1e6, l.countAt(i)));
            }
        }
        double p50 = l.quantile(0.5).toNanos() / 1e6;
        return new BatchRow("t", "batch", BatchRow.FINISHED, l.count(), l.count(), l.count(), 0, 0, 0, 1000, 1, null,
                p50, p50, p50, buckets, null, "out", Instant.EPOCH);
    }

    private static List<Long> barCounts(String svg) {
        Matcher m = Pattern.compile("<title>[^<]*: (\\d+)</title></rect>").matcher(svg);
        List<Long> counts = new ArrayList<>();
        while (m.find()) {
            counts.add(Long.parseLong(m.group(1)));
        }
        return counts;
    }

    @Test
    void aWideSpreadIsDrawnInAtMostFortyEightBarsThatKeepEveryCount() {
        Latencies l = new Latencies();
        for (long micros = 50; micros < 3_600_000_000L; micros = micros * 11 / 10 + 1) {
            l.record(Duration.ofNanos(micros * 1000));
        }
        String svg = Batches.histogram("wide", finished(l));
        assertThat(barCounts(svg)).hasSizeLessThanOrEqualTo(Batches.MAX_BARS)
                .satisfies(c -> assertThat(c.stream().mapToLong(Long::longValue).sum()).isEqualTo(l.count()));
        assertThat(svg).contains("<title>longer: ", ">longer</text>", ">p50<");
    }

    @Test
    void oneBucketIsOneBar() {
        Latencies l = new Latencies();
        l.record(Duration.ofMillis(250));
        l.record(Duration.ofMillis(251));
        String svg = Batches.histogram("one", finished(l));
        assertThat(barCounts(svg)).containsExactly(2L);
        assertThat(svg).startsWith("<svg").endsWith("</svg>").contains("id=\"hist-one\"");
    }

    @Test
    void latenciesReadAsPeopleReadThem() {
        assertThat(Batches.latency(0.42)).isEqualTo("0.42 ms");
        assertThat(Batches.latency(85.3)).isEqualTo("85 ms");
        assertThat(Batches.latency(1240.0)).isEqualTo("1.24 s");
        assertThat(Batches.latency(125_000.0)).isEqualTo("2m 5s");
        assertThat(Batches.latency(null)).isEqualTo("–");
    }
}
