package dev.gantry.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.core.batch.BatchFigures;
import dev.gantry.core.batch.Latencies;
import dev.gantry.core.plan.Revision;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.event.BuildInfo;
import dev.gantry.engine.pool.Allocation;
import dev.gantry.engine.run.Outcome;
import dev.gantry.engine.run.TaskState;
import dev.gantry.store.BatchRow;
import dev.gantry.store.BuildRow;
import dev.gantry.store.StepRow;
import dev.gantry.store.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreRecorderTest {

    /** Writers blocked by a row lock wait for it (two minutes) rather than fail at once. */
    private final String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=120000";
    private final Store store = Store.open(url, null, null);
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final LogHub hub = new LogHub(store.logs(), warnings::add);
    private final Instant t0 = Instant.parse("2024-05-01T10:00:00Z");

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        store.close();
    }

    private BuildInfo build() {
        return new BuildInfo(1, "b1", "p", "gantry.yml", "digest", Revision.NONE, "local", dir, dir.resolve("timings"));
    }

    private String taskStatus() {
        return store.builds().find("p", 1).orElseThrow().tasks().get(0).status();
    }

    @Test
    void theSchedulersThreadNeverWaitsForTheDatabase() throws Exception {
        StoreRecorder recorder = new StoreRecorder(store, hub, Map.of("t", "job"), null, null);
        recorder.on(new BuildEvent.BuildStarted(t0, build(), List.of("t")));
        await().atMost(Duration.ofSeconds(60)).until(() -> store.builds().find("p", 1).isPresent());

        CountDownLatch returned = new CountDownLatch(1);
        try (Connection locker = DriverManager.getConnection(url)) {
            locker.setAutoCommit(false);
            locker.createStatement().executeQuery("SELECT * FROM tasks WHERE build_id = 'b1' FOR UPDATE").close();
            // every write of the task now waits for the lock: the engine's own calls must not
            Thread scheduler = new Thread(() -> {
                recorder.on(new BuildEvent.TaskStarted(t0, "t", new Allocation(Map.of())));
                recorder.on(new BuildEvent.LogLine(t0, "t", "run", "hello"));
                recorder.on(new BuildEvent.TaskFinished(t0.plusSeconds(1), "t", TaskState.SUCCEEDED, 1,
                        Duration.ofSeconds(1), null));
                returned.countDown();
            });
            scheduler.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> returned.getCount() == 0);
            assertThat(taskStatus()).as("not written while the lock is held").isEqualTo("queued");
            locker.rollback();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> taskStatus().equals("succeeded"));

        recorder.on(new BuildEvent.BuildFinished(t0.plusSeconds(2), TaskState.SUCCEEDED, Duration.ofSeconds(2)));
        BuildRow b = store.builds().find("p", 1).orElseThrow();
        assertThat(b.status()).as("written by the time BuildFinished returns").isEqualTo("succeeded");
        assertThat(store.logs().lines("b1", "t", 0, 10)).containsExactly("hello");
        assertThat(warnings).isEmpty();
    }

    @Test
    void aFailedWriteIsReportedWithoutItsContentAndTheRestIsStillWritten() {
        StoreRecorder recorder = new StoreRecorder(store, hub, Map.of("t", "job"), null, null);
        String secretish = "s3cr3t-" + "x".repeat(600); // longer than a step name may be: the insert fails
        recorder.on(new BuildEvent.BuildStarted(t0, build(), List.of("t")));
        recorder.on(new BuildEvent.TaskStarted(t0, "t", new Allocation(Map.of())));
        recorder.on(new BuildEvent.StepStarted(t0, "t", secretish));
        recorder.on(new BuildEvent.StepStarted(t0, "t", "second"));
        recorder.on(new BuildEvent.StepFinished(t0, "t", "second", Outcome.SUCCESS, Duration.ofMillis(5)));
        recorder.on(new BuildEvent.LogLine(t0, "t", "second", "after the failure"));
        recorder.on(new BuildEvent.TaskFinished(t0, "t", TaskState.SUCCEEDED, 1, Duration.ofSeconds(1), null));
        recorder.on(new BuildEvent.BuildFinished(t0, TaskState.SUCCEEDED, Duration.ofSeconds(1)));

        assertThat(warnings).singleElement().satisfies(w -> assertThat(w)
                .contains("StepStarted", "p #1", "database error", "SQL state")
                .doesNotContain("s3cr3t", "xxxxx")); // the statement may be named, never a value bound to it
        assertThat(store.builds().steps("b1")).extracting(s -> s.step().name(), s -> s.step().status())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("second", "succeeded"));
        assertThat(store.logs().lines("b1", "t", 0, 10)).containsExactly("after the failure");
        assertThat(store.builds().find("p", 1).orElseThrow().status()).isEqualTo("succeeded");
    }

    @Test
    void aBuildWhoseStoreWentAwayStillEnds() {
        StoreRecorder recorder = new StoreRecorder(store, hub, Map.of("t", "job"), null, null);
        recorder.on(new BuildEvent.BuildStarted(t0, build(), List.of("t")));
        recorder.on(new BuildEvent.TaskStarted(t0, "t", new Allocation(Map.of())));
        recorder.on(new BuildEvent.LogLine(t0, "t", "run", "token=hunter2"));
        store.close();
        recorder.on(new BuildEvent.TaskFinished(t0, "t", TaskState.SUCCEEDED, 1, Duration.ofSeconds(1), null));
        recorder.on(new BuildEvent.BuildFinished(t0, TaskState.SUCCEEDED, Duration.ofSeconds(1)));
        assertThat(warnings).isNotEmpty().allSatisfy(w -> assertThat(w).doesNotContain("hunter2"));
    }

    @Test
    void closingWritesWhatWasQueuedWhenTheBuildNeverFinished() {
        try (StoreRecorder recorder = new StoreRecorder(store, hub, Map.of("t", "job"), null, null)) {
            recorder.on(new BuildEvent.BuildStarted(t0, build(), List.of("t")));
            recorder.on(new BuildEvent.TaskStarted(t0, "t", new Allocation(Map.of())));
            recorder.on(new BuildEvent.StepStarted(t0, "t", "run"));
        }
        assertThat(store.builds().steps("b1")).extracting(StepRow.OfTask::step).extracting(StepRow::name)
                .containsExactly("run");
        assertThat(taskStatus()).isEqualTo("running");
    }

    private static BatchFigures figures(long done, long retries, Duration elapsed) {
        return new BatchFigures(100, done, done - done / 10, done / 10, 3, retries, 4, elapsed,
                done / Math.max(0.001, elapsed.toMillis() / 1000.0), Duration.ofSeconds(100 - done),
                Duration.ofMillis(3), Duration.ofMillis(40), Duration.ofMillis(1900));
    }

    private static Latencies latencies(long... millis) {
        Latencies l = new Latencies();
        for (long ms : millis) {
            l.record(Duration.ofMillis(ms));
        }
        return l;
    }

    private BatchRow batchRow() {
        return store.batches().list("b1").get(0);
    }

    @Test
    void writesABatchsProgressAtMostOnceASecondAndItsEndWithTheLatencyHistogram() {
        StoreRecorder recorder = new StoreRecorder(store, hub, Map.of("t", "job", "u", "job"), null, null);
        recorder.on(new BuildEvent.BuildStarted(t0, build(), List.of("t", "u")));
        recorder.on(new BuildEvent.TaskStarted(t0, "t", new Allocation(Map.of())));
        recorder.on(new BuildEvent.StepStarted(t0, "t", "batch chapter1"));
        recorder.on(new BuildEvent.BatchProgress(t0.plusSeconds(1), "t", "batch chapter1",
                figures(10, 1, Duration.ofSeconds(1)), latencies(3, 3, 3)));
        await().atMost(Duration.ofSeconds(60)).until(() -> !store.batches().list("b1").isEmpty());
        assertThat(batchRow()).satisfies(b -> {
            assertThat(b.state()).isEqualTo("running");
            assertThat(b.done()).isEqualTo(10);
            assertThat(b.total()).isEqualTo(100);
            assertThat(b.etaMs()).isEqualTo(90_000L);
            assertThat(b.p95Ms()).isEqualTo(40.0);
            assertThat(b.histogram()).as("written when the batch ends").isEmpty();
        });

        recorder.on(new BuildEvent.BatchProgress(t0.plusMillis(1300), "t", "batch chapter1",
                figures(20, 2, Duration.ofMillis(1300)), latencies(40)));
        recorder.on(new BuildEvent.BatchProgress(t0.plusMillis(1900), "t", "batch chapter1",
                figures(30, 2, Duration.ofMillis(1900)), latencies(40)));
        recorder.on(new BuildEvent.TaskStarted(t0.plusMillis(1900), "u", new Allocation(Map.of())));
        // the writer applies events in order: once u is written, so are (or not) the two progress events before it
        await().atMost(Duration.ofSeconds(60)).until(() -> store.builds().find("p", 1).orElseThrow().tasks().stream()
                .anyMatch(t -> t.name().equals("u") && t.status().equals("running")));
        assertThat(batchRow().done()).as("progress under a second after the last write waits").isEqualTo(10);

        recorder.on(new BuildEvent.BatchProgress(t0.plusMillis(2000), "t", "batch chapter1",
                figures(40, 3, Duration.ofSeconds(2)), latencies()));
        await().atMost(Duration.ofSeconds(60)).until(() -> batchRow().done() == 40);
        assertThat(batchRow().retries()).isEqualTo(3);

        recorder.on(new BuildEvent.BatchFinished(t0.plusSeconds(5), "t", "batch chapter1",
                figures(100, 4, Duration.ofSeconds(5)), latencies(3, 3, 3, 40, 40, 1900), "out/chapter1", null));
        recorder.on(new BuildEvent.StepFinished(t0.plusSeconds(5), "t", "batch chapter1", Outcome.SUCCESS,
                Duration.ofSeconds(5)));
        recorder.on(new BuildEvent.TaskFinished(t0.plusSeconds(5), "t", TaskState.SUCCEEDED, 1, Duration.ofSeconds(5),
                null));
        recorder.on(new BuildEvent.TaskFinished(t0.plusSeconds(5), "u", TaskState.SUCCEEDED, 1, Duration.ofSeconds(4),
                null));
        recorder.on(new BuildEvent.BuildFinished(t0.plusSeconds(5), TaskState.SUCCEEDED, Duration.ofSeconds(5)));

        BatchRow end = batchRow();
        assertThat(end.state()).isEqualTo("finished");
        assertThat(end.done()).isEqualTo(100);
        assertThat(end.succeeded()).isEqualTo(90);
        assertThat(end.failed()).isEqualTo(10);
        assertThat(end.skipped()).isEqualTo(3);
        assertThat(end.etaMs()).as("nothing left to wait for").isNull();
        assertThat(end.elapsedMs()).isEqualTo(5000);
        assertThat(end.output()).isEqualTo("out/chapter1");
        assertThat(end.failure()).isNull();
        assertThat(end.updatedAt()).isEqualTo(t0.plusSeconds(5));
        assertThat(end.p50Ms()).isEqualTo(3.0);
        assertThat(end.p99Ms()).isEqualTo(1900.0);
        assertThat(end.histogram()).hasSize(3).extracting(BatchRow.Bucket::count).containsExactly(3L, 2L, 1L);
        long[] latencies = {3, 40, 1900};
        for (int i = 0; i < 3; i++) {
            // each bucket's bound is the first of the log-spaced bounds at or above its latencies (about 9% apart)
            assertThat(end.histogram().get(i).upToMs()).isBetween((double) latencies[i], latencies[i] * 1.1);
        }
        assertThat(store.batches().list("b1")).hasSize(1);
        assertThat(warnings).isEmpty();
    }

    @Test
    void aBatchWhoseTaskEndsBeforeItsEndIsStoppedWithItsNewestFigures() {
        StoreRecorder recorder = new StoreRecorder(store, hub, Map.of("t", "job"), null, null);
        recorder.on(new BuildEvent.BuildStarted(t0, build(), List.of("t")));
        recorder.on(new BuildEvent.TaskStarted(t0, "t", new Allocation(Map.of())));
        recorder.on(new BuildEvent.BatchProgress(t0.plusSeconds(1), "t", "batch", figures(5, 0, Duration.ofSeconds(1)),
                latencies(3, 3)));
        recorder.on(new BuildEvent.BatchProgress(t0.plusMillis(1500), "t", "batch",
                figures(7, 0, Duration.ofMillis(1500)), latencies(40)));
        recorder.on(new BuildEvent.TaskFinished(t0.plusSeconds(2), "t", TaskState.CANCELLED, 1, Duration.ofSeconds(2),
                "cancelled from the server"));
        recorder.on(new BuildEvent.BuildFinished(t0.plusSeconds(2), TaskState.CANCELLED, Duration.ofSeconds(2)));

        BatchRow stopped = batchRow();
        assertThat(stopped.state()).isEqualTo("stopped");
        assertThat(stopped.done()).as("the newest figures, though throttled").isEqualTo(7);
        assertThat(stopped.failure()).isEqualTo("the task ended (cancelled) before the batch did");
        assertThat(stopped.etaMs()).isNull();
        assertThat(stopped.histogram()).extracting(BatchRow.Bucket::count).containsExactly(2L, 1L);
        assertThat(warnings).isEmpty();
    }

    @Test
    void aBatchThatEndsWithAFailureIsStoppedWithItsReason() {
        StoreRecorder recorder = new StoreRecorder(store, hub, Map.of("t", "job"), null, null);
        recorder.on(new BuildEvent.BuildStarted(t0, build(), List.of("t")));
        recorder.on(new BuildEvent.TaskStarted(t0, "t", new Allocation(Map.of())));
        recorder.on(new BuildEvent.BatchFinished(t0.plusSeconds(1), "t", "batch", figures(5, 9, Duration.ofSeconds(1)),
                latencies(3), "out", "the service tts exited 4 times within 10m (restart: {max: 3})"));
        recorder.on(new BuildEvent.TaskFinished(t0.plusSeconds(2), "t", TaskState.FAILED, 1, Duration.ofSeconds(2),
                null));
        recorder.on(new BuildEvent.BuildFinished(t0.plusSeconds(2), TaskState.FAILED, Duration.ofSeconds(2)));
        assertThat(batchRow().state()).isEqualTo("stopped");
        assertThat(batchRow().failure()).startsWith("the service tts exited");
        assertThat(batchRow().done()).isEqualTo(5);
        assertThat(batchRow().histogram()).extracting(BatchRow.Bucket::count).containsExactly(1L);
    }

    @Test
    void aBatchOfABuildWhoseRecordIsClosedBeforeItsEndIsStopped() {
        try (StoreRecorder recorder = new StoreRecorder(store, hub, Map.of("t", "job"), null, null)) {
            recorder.on(new BuildEvent.BuildStarted(t0, build(), List.of("t")));
            recorder.on(new BuildEvent.TaskStarted(t0, "t", new Allocation(Map.of())));
            recorder.on(new BuildEvent.BatchProgress(t0.plusSeconds(1), "t", "batch",
                    figures(5, 0, Duration.ofSeconds(1)), latencies(3)));
        }
        assertThat(batchRow().state()).isEqualTo("stopped");
        assertThat(batchRow().failure()).isEqualTo("the build's record ended before the batch did");
        assertThat(batchRow().updatedAt()).isEqualTo(t0.plusSeconds(1));
    }
}
