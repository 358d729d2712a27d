package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the repositories must do on every database; {@link H2StoreTest} and {@link PostgresStoreTest} run it. */
abstract class StoreContract {

    private Store store;
    private final String pipeline = "p-" + UUID.randomUUID();

    protected abstract Store open() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = open();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    private BuildRow build(long number, String status, Instant started) {
        return new BuildRow(pipeline + "-" + number, pipeline, number, "gantry.yml", "ab".repeat(32), "c0ffee", "main",
                null, "local", status, started, status.equals("running") ? null : started.plusSeconds(5),
                List.of(new BuildRow.TaskRow("build", "build", "succeeded", 1, started, started.plusSeconds(2), 2000L,
                                null),
                        new BuildRow.TaskRow("test[1]", "test", "failed", 2, started, started.plusSeconds(4), 4000L,
                                "exit code 3"),
                        new BuildRow.TaskRow("report", "report", "skipped", 0, null, null, null,
                                "needs test[1], which failed")));
    }

    @Test
    void savesAndFindsABuildWithItsTasksInOrder() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        BuildRow b = build(1, "failed", t);
        store.builds().save(b);
        assertThat(store.builds().find(pipeline, 1)).contains(b);
        assertThat(store.builds().find(pipeline, 2)).isEmpty();
    }

    @Test
    void savingAgainReplacesARunningBuild() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        store.builds().save(build(1, "running", t));
        store.builds().save(build(1, "succeeded", t));
        assertThat(store.builds().find(pipeline, 1).orElseThrow().status()).isEqualTo("succeeded");
        assertThat(store.builds().list(pipeline, null, 0, 10)).hasSize(1);
    }

    @Test
    void savesOneTaskWithoutTouchingTheOthers() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        store.builds().save(build(1, "running", t));
        BuildRow.TaskRow retried = new BuildRow.TaskRow("test[1]", "test", "succeeded", 3, t, t.plusSeconds(9), 9000L,
                null);
        store.builds().saveTask(pipeline + "-1", retried);
        BuildRow stored = store.builds().find(pipeline, 1).orElseThrow();
        assertThat(stored.tasks()).extracting(BuildRow.TaskRow::name).containsExactly("build", "test[1]", "report");
        assertThat(stored.tasks().get(1)).isEqualTo(retried);
        assertThat(stored.tasks().get(0)).isEqualTo(build(1, "running", t).tasks().get(0));
    }

    @Test
    void savingABuildAgainKeepsItsLogs() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        store.builds().save(build(1, "running", t));
        store.logs().append(pipeline + "-1", "build", "compiling\n");
        store.builds().save(build(1, "succeeded", t));
        assertThat(store.logs().read(pipeline + "-1", "build", 0, 10)).containsExactly("compiling\n");
    }

    @Test
    void listsNewestFirstWithFiltersAndPaging() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int i = 1; i <= 5; i++) {
            store.builds().save(build(i, i % 2 == 0 ? "failed" : "succeeded", t.plusSeconds(i)));
        }
        assertThat(store.builds().list(pipeline, null, 0, 3)).extracting(BuildRow::number).containsExactly(5L, 4L, 3L);
        assertThat(store.builds().list(pipeline, null, 3, 3)).extracting(BuildRow::number).containsExactly(2L, 1L);
        assertThat(store.builds().list(pipeline, "failed", 0, 10)).extracting(BuildRow::number).containsExactly(4L, 2L);
    }

    @Test
    void appendsLogChunksAndReadsThemByRange() {
        store.builds().save(build(1, "running", Instant.now()));
        String id = pipeline + "-1";
        assertThat(store.logs().append(id, "test[1]", "line 1\n")).isZero();
        assertThat(store.logs().append(id, "test[1]", "line 2\n")).isEqualTo(1);
        assertThat(store.logs().append(id, "test[1]", "line 3\n")).isEqualTo(2);
        assertThat(store.logs().append(id, "build", "other task\n")).isZero();
        assertThat(store.logs().read(id, "test[1]", 1, 10)).containsExactly("line 2\n", "line 3\n");
        assertThat(store.logs().read(id, "test[1]", 0, 1)).containsExactly("line 1\n");
    }
}
