package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.core.batch.BatchFigures;
import dev.gantry.core.batch.Latencies;
import dev.gantry.core.plan.Revision;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.event.BuildInfo;
import dev.gantry.engine.pool.Allocation;
import dev.gantry.engine.run.Outcome;
import dev.gantry.engine.run.TaskState;
import dev.gantry.record.LogHub;
import dev.gantry.record.StoreRecorder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch step on the build page and in the build's JSON, through the running server: its progress while it runs,
 * its throughput, percentiles and latency histogram once it ends. The build is recorded into the server's store the
 * way {@code gantry run} records one (events in, rows out), so the page is tested on what the recorder writes.
 */
class BatchPageTest {

    private static final String TASK = "chapter-1";
    private static final String STEP = "batch books/chapter1.jsonl";

    @TempDir
    Path tmp;
    ServerFixture server;
    StoreRecorder recorder;
    final List<String> warnings = new CopyOnWriteArrayList<>();
    final Instant t0 = Instant.parse("2024-05-01T10:00:00Z");

    @BeforeEach
    void start() {
        server = new ServerFixture(tmp.resolve("data"));
        recorder = new StoreRecorder(server.store(), new LogHub(server.store().logs(), warnings::add),
                Map.of(TASK, TASK), null, null);
    }

    @AfterEach
    void stop() {
        recorder.close();
        server.close();
    }

    private static BatchFigures figures(long done, long failed, long retries, Duration elapsed, Duration eta) {
        return new BatchFigures(1000, done, done - failed, failed, 6, retries, 8, elapsed,
                done / (elapsed.toMillis() / 1000.0), eta, Duration.ofMillis(3), Duration.ofMillis(40),
                Duration.ofMillis(1900));
    }

    private static Latencies latencies(int count, long millis) {
        Latencies l = new Latencies();
        for (int i = 0; i < count; i++) {
            l.record(Duration.ofMillis(millis));
        }
        return l;
    }

    @Test
    void theBuildPageShowsABatchsProgressThenItsThroughputPercentilesAndHistogram() {
        recorder.on(new BuildEvent.BuildStarted(t0, new BuildInfo(1, "audiobook-1", "audiobook", "gantry.yml",
                "digest", Revision.NONE, "local", tmp, tmp.resolve("timings")), List.of(TASK)));
        recorder.on(new BuildEvent.TaskStarted(t0, TASK, new Allocation(Map.of())));
        recorder.on(new BuildEvent.StepStarted(t0, TASK, STEP));
        Latencies first = latencies(400, 3);
        recorder.on(new BuildEvent.BatchProgress(t0.plusSeconds(40), TASK, STEP,
                figures(412, 3, 7, Duration.ofSeconds(40), Duration.ofSeconds(48)), first));

        String page = awaitPage(p -> p.contains("id=\"batches\""));
        assertThat(page).contains(STEP, "409 succeeded", "3 errors", "7 retries",
                "10.3 items/s", "ETA 48s", "(6 done by an earlier run)");
        assertThat(page).containsPattern(Pattern.compile("<progress max=\"1000\" value=\"418\">"))
                .contains("418 / 1000");
        assertThat(page).doesNotContain("throughput", "p50 ", "class=\"chart histogram\"");
        assertThat(server.get("/pipelines/audiobook/builds/1/live").body())
                .as("the part the page refreshes while the build runs").contains("418 / 1000", "ETA 48s");
        JsonNode running = server.get("/api/pipelines/audiobook/builds/1").json().path("batches");
        assertThat(running).hasSize(1);
        assertThat(running.get(0).path("state").asText()).isEqualTo("running");
        assertThat(running.get(0).path("done").asLong()).isEqualTo(412);
        assertThat(running.get(0).path("eta_ms").asLong()).isEqualTo(48_000);
        assertThat(running.get(0).path("histogram")).isEmpty();

        Latencies whole = first.copy();
        whole.add(latencies(500, 40));
        whole.add(latencies(85, 1900));
        recorder.on(new BuildEvent.BatchFinished(t0.plusSeconds(100), TASK, STEP,
                figures(994, 9, 17, Duration.ofSeconds(100), null), whole, "out/chapter1", null));
        recorder.on(new BuildEvent.StepFinished(t0.plusSeconds(100), TASK, STEP, Outcome.SUCCESS,
                Duration.ofSeconds(100)));
        recorder.on(new BuildEvent.TaskFinished(t0.plusSeconds(100), TASK, TaskState.SUCCEEDED, 1,
                Duration.ofSeconds(100), null));
        recorder.on(new BuildEvent.BuildFinished(t0.plusSeconds(100), TaskState.SUCCEEDED, Duration.ofSeconds(100)));

        String done = server.get("/pipelines/audiobook/builds/1").body();
        assertThat(done).contains("finished", "1000 / 1000", "985 succeeded", "9 errors", "17 retries",
                "throughput 9.9 items/s", "p50 3.00 ms", "p95 40 ms", "p99 1.90 s", "out/chapter1")
                .doesNotContain("ETA");
        String svg = done.substring(done.indexOf("<svg class=\"chart histogram\""));
        svg = svg.substring(0, svg.indexOf("</svg>"));
        assertThat(Pattern.compile("<rect class=\"bar\"").matcher(svg).results().count())
                .as("a bar for each of the three latencies").isEqualTo(3);
        assertThat(svg).contains("<title>up to 3.20 ms: 400</title>", ": 500</title>", ": 85</title>", ">p50<",
                ">p95<", ">p99<");
        JsonNode ended = server.get("/api/pipelines/audiobook/builds/1").json().path("batches").get(0);
        assertThat(ended.path("state").asText()).isEqualTo("finished");
        assertThat(ended.path("per_second").asDouble()).isEqualTo(9.94);
        assertThat(ended.path("p99_ms").asDouble()).isEqualTo(1900.0);
        assertThat(ended.path("output").asText()).isEqualTo("out/chapter1");
        assertThat(ended.path("histogram")).hasSize(3);
        long counted = 0;
        for (JsonNode bucket : ended.path("histogram")) {
            counted += bucket.path("count").asLong();
            assertThat(bucket.path("up_to_ms").asDouble()).isPositive();
        }
        assertThat(counted).isEqualTo(985);
        assertThat(warnings).isEmpty();
    }

    private String awaitPage(java.util.function.Predicate<String> ready) {
        String[] page = new String[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            ServerFixture.Response r = server.get("/pipelines/audiobook/builds/1");
            page[0] = r.body();
            return r.status() == 200 && ready.test(page[0]);
        });
        return page[0];
    }
}
