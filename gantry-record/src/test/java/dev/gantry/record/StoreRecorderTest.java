package dev.gantry.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.core.plan.Revision;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.event.BuildInfo;
import dev.gantry.engine.pool.Allocation;
import dev.gantry.engine.run.Outcome;
import dev.gantry.engine.run.TaskState;
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
}
