package dev.gantry.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.batch.BatchFigures;
import dev.gantry.core.batch.Latencies;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.event.BuildListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The batch metrics as Prometheus scrapes them: items and retries counted once though progress figures are
 * cumulative, and a histogram whose buckets are cumulative and hold exactly the latencies at or under each bound.
 */
class BatchMetricsTest {

    private static final String HISTOGRAM = "gantry_batch_item_latency_seconds";
    private final ServerMetrics metrics = new ServerMetrics();
    private final Instant t0 = Instant.parse("2024-05-01T10:00:00Z");

    private static BatchFigures figures(long succeeded, long failed, long retries) {
        return new BatchFigures(1000, succeeded + failed, succeeded, failed, 0, retries, 2, Duration.ofSeconds(1), 1,
                null, null, null, null);
    }

    /** Latencies in microseconds, some exactly on a bound (6.4 ms, 1.6384 s) and some just past one. */
    private static List<Long> latencyMicros() {
        List<Long> micros = new ArrayList<>();
        long[] fixed = {50, 800, 801, 6_400, 6_401, 25_000, 1_638_400, 1_638_401, 30_000_000, 104_857_600,
                104_857_601, 200_000_000};
        for (long m : fixed) {
            micros.add(m);
        }
        long x = 12345;
        for (int i = 0; i < 188; i++) { // spread over 0.1 ms .. ~100 s, log-uniformly
            x = (x * 1103515245 + 12345) & 0x7fffffff;
            micros.add((long) (100 * Math.pow(2, (x % 10_000) / 10_000.0 * 20)));
        }
        return micros;
    }

    private static Latencies latencies(List<Long> micros) {
        Latencies l = new Latencies();
        micros.forEach(m -> l.record(Duration.ofNanos(m * 1000)));
        return l;
    }

    @Test
    void countsItemsOnceAndFillsAnExactCumulativeLatencyHistogram() {
        List<Long> all = latencyMicros();
        BuildListener build = metrics.batchListener("tts");
        build.on(new BuildEvent.BatchProgress(t0, "render", "batch", figures(50, 2, 3), latencies(all.subList(0, 50))));
        build.on(new BuildEvent.BatchProgress(t0.plusSeconds(1), "render", "batch", figures(120, 5, 7),
                latencies(all.subList(50, 120))));
        build.on(new BuildEvent.BatchProgress(t0.plusSeconds(2), "render", "batch", figures(120, 5, 7),
                latencies(List.of())));
        // the last 80 latencies came after the last progress event: only the whole run's latencies hold them
        build.on(new BuildEvent.BatchFinished(t0.plusSeconds(3), "render", "batch", figures(200, 9, 10),
                latencies(all), "out", null));

        String text = metrics.scrape();
        assertThat(value(text, "gantry_batch_items_total", Map.of("pipeline", "tts", "outcome", "succeeded")))
                .isEqualTo(200);
        assertThat(value(text, "gantry_batch_items_total", Map.of("pipeline", "tts", "outcome", "failed")))
                .isEqualTo(9);
        assertThat(value(text, "gantry_batch_retries_total", Map.of("pipeline", "tts"))).isEqualTo(10);

        assertThat(text).contains("# TYPE " + HISTOGRAM + " histogram");
        Map<Double, Double> buckets = buckets(text, "tts");
        assertWellFormed(text, buckets, "tts");
        assertThat(buckets).hasSize(19).containsKey(Double.POSITIVE_INFINITY);
        buckets.forEach((le, count) -> assertThat(count).as("le=%s", le)
                .isEqualTo((double) all.stream().filter(m -> m / 1e6 <= le).count()));
        assertThat(buckets.get(0.0064)).as("6.4 ms is in le=0.0064, 6.401 ms is not")
                .isEqualTo(buckets.get(0.0032) + all.stream().filter(m -> m > 3_200 && m <= 6_400).count());
        assertThat(value(text, HISTOGRAM + "_count", Map.of("pipeline", "tts"))).isEqualTo(all.size());
        assertThat(value(text, HISTOGRAM + "_sum", Map.of("pipeline", "tts")))
                .isCloseTo(all.stream().mapToLong(Long::longValue).sum() / 1e6, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void buildsOfOnePipelineAddUpAndAnotherPipelineHasItsOwnSeries() {
        BuildListener first = metrics.batchListener("tts");
        BuildListener second = metrics.batchListener("tts");
        BuildListener other = metrics.batchListener("asr");
        first.on(new BuildEvent.BatchFinished(t0, "a", "batch", figures(3, 1, 0), latencies(List.of(1_000L, 2_000L,
                3_000L)), "out", null));
        second.on(new BuildEvent.BatchProgress(t0, "a", "batch", figures(2, 0, 1), latencies(List.of(10_000L,
                20_000L))));
        // a retried task runs its batch again: figures start over, and are counted as a new run
        second.on(new BuildEvent.BatchProgress(t0.plusSeconds(1), "a", "batch", figures(1, 0, 0),
                latencies(List.of(30_000L))));
        second.on(new BuildEvent.BatchFinished(t0.plusSeconds(2), "a", "batch", figures(1, 0, 0),
                latencies(List.of(30_000L)), "out", "the service tts exited 4 times within 10m"));
        other.on(new BuildEvent.BatchProgress(t0, "x", "batch", figures(1, 1, 0), latencies(List.of(500_000L))));

        String text = metrics.scrape();
        assertThat(value(text, "gantry_batch_items_total", Map.of("pipeline", "tts", "outcome", "succeeded")))
                .isEqualTo(3 + 2 + 1);
        assertThat(value(text, "gantry_batch_items_total", Map.of("pipeline", "tts", "outcome", "failed")))
                .isEqualTo(1);
        assertThat(value(text, "gantry_batch_retries_total", Map.of("pipeline", "tts"))).isEqualTo(1);
        assertThat(value(text, HISTOGRAM + "_count", Map.of("pipeline", "tts"))).isEqualTo(6);
        assertThat(value(text, HISTOGRAM + "_sum", Map.of("pipeline", "tts"))).isCloseTo(0.066,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(value(text, HISTOGRAM + "_count", Map.of("pipeline", "asr"))).isEqualTo(1);
        assertWellFormed(text, buckets(text, "tts"), "tts");
        assertWellFormed(text, buckets(text, "asr"), "asr");
        assertThat(text).doesNotContain("task=", "step=");
    }

    @Test
    void withoutBatchesTheScrapeIsStillValid() {
        String text = metrics.scrape();
        assertThat(text).doesNotContain(HISTOGRAM + "_bucket");
    }

    /** What promtool checks of a classic histogram: bounds ascending, counts cumulative, +Inf equal to _count. */
    private static void assertWellFormed(String text, Map<Double, Double> buckets, String pipeline) {
        assertThat(new ArrayList<>(buckets.keySet())).isSorted();
        double previous = 0;
        for (double count : buckets.values()) {
            assertThat(count).isGreaterThanOrEqualTo(previous);
            previous = count;
        }
        assertThat(buckets.get(Double.POSITIVE_INFINITY)).isEqualTo(value(text, HISTOGRAM + "_count",
                Map.of("pipeline", pipeline)));
        assertThat(text.lines().filter(l -> l.startsWith("# TYPE " + HISTOGRAM + " ")).count()).isEqualTo(1);
    }

    /** The pipeline's buckets in the order the scrape lists them: upper bound to cumulative count. */
    private static Map<Double, Double> buckets(String text, String pipeline) {
        Map<Double, Double> buckets = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^" + HISTOGRAM + "_bucket\\{([^}]*)} (\\S+)$").matcher(text);
        while (m.find()) {
            Map<String, String> labels = labels(m.group(1));
            if (pipeline.equals(labels.get("pipeline"))) {
                String le = labels.get("le");
                buckets.put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le),
                        Double.parseDouble(m.group(2)));
            }
        }
        return buckets;
    }

    /** The value of the one sample of {@code name} with exactly these labels. */
    private static double value(String text, String name, Map<String, String> labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)} (\\S+)$").matcher(text);
        List<Double> found = new ArrayList<>();
        while (m.find()) {
            if (labels(m.group(1)).equals(labels)) {
                found.add(Double.parseDouble(m.group(2)));
            }
        }
        assertThat(found).as("samples of %s%s in:%n%s", name, labels, text).hasSize(1);
        return found.get(0);
    }

    private static Map<String, String> labels(String s) {
        Map<String, String> labels = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(s);
        while (m.find()) {
            labels.put(m.group(1), m.group(2));
        }
        return labels;
    }
}
