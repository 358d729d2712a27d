package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.gantry.core.deploy.Release;
import dev.gantry.core.deploy.ReleaseHistory;
import dev.gantry.core.deploy.ReleaseStatus;
import dev.gantry.core.notify.Delivery;
import dev.gantry.core.pipeline.Retention;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the repositories must do on every database; {@link H2StoreTest} and {@link PostgresStoreTest} run it. */
abstract class StoreContract {

    private Store store;
    private final String pipeline = "p-" + UUID.randomUUID();

    protected abstract Store open() throws Exception;

    /** The store this test opened, for cases only one database can run. */
    protected Store store() {
        return store;
    }

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
                null, "Ada <ada@example.com>", "Fix the thing", "local", status, started, status.equals("running") ? null : started.plusSeconds(5),
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

    @Test
    void numbersCountsAndFindsWhatNeverEnded() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        assertThat(store.builds().nextNumber(pipeline)).isEqualTo(1);
        store.builds().save(build(1, "succeeded", t));
        store.builds().save(build(2, "running", t.plusSeconds(1)));
        store.builds().save(build(3, "running", t.plusSeconds(2)).withStatus("queued", null));
        assertThat(store.builds().nextNumber(pipeline)).isEqualTo(4);
        assertThat(store.builds().count(pipeline, null)).isEqualTo(3);
        assertThat(store.builds().count(pipeline, "running")).isEqualTo(1);
        assertThat(store.builds().unfinished()).filteredOn(b -> b.pipeline().equals(pipeline))
                .extracting(BuildRow::number).containsExactly(2L, 3L);
    }

    @Test
    void aStatusChangeWithoutTasksKeepsTheStoredTasks() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        BuildRow b = build(1, "running", t);
        store.builds().save(b);
        store.builds().save(b.withTasks(List.of()).withStatus("errored", t.plusSeconds(1)));
        BuildRow stored = store.builds().find(pipeline, 1).orElseThrow();
        assertThat(stored.status()).isEqualTo("errored");
        assertThat(stored.tasks()).isEqualTo(b.tasks());
        assertThat(stored.author()).isEqualTo("Ada <ada@example.com>");
    }

    @Test
    void savesStepsAndUpdatesThemWhenTheyEnd() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        store.builds().save(build(1, "running", t));
        String id = pipeline + "-1";
        store.builds().saveStep(id, "build", new StepRow(0, "compile", "running", t, null));
        store.builds().saveStep(id, "build", new StepRow(1, "package", "running", t, null));
        store.builds().saveStep(id, "build", new StepRow(0, "compile", "succeeded", t, 1200L));
        assertThat(store.builds().steps(id)).containsExactly(
                new StepRow.OfTask("build", new StepRow(0, "compile", "succeeded", t, 1200L)),
                new StepRow.OfTask("build", new StepRow(1, "package", "running", t, null)));
    }

    @Test
    void registersPipelinesAndRemembersTheirRefs() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        PipelineRow p = new PipelineRow(pipeline, "/srv/repo.git", "gantry.yml", "main", java.time.Duration.ofMinutes(1),
                "s3cret", t);
        store.pipelines().save(p);
        assertThat(store.pipelines().find(pipeline)).contains(p);
        PipelineRow changed = new PipelineRow(pipeline, "/srv/repo.git", "ci/gantry.yml", "dev",
                java.time.Duration.ofSeconds(5), null, t);
        store.pipelines().save(changed);
        assertThat(store.pipelines().find(pipeline)).contains(changed);
        assertThat(store.pipelines().list()).contains(changed);
        store.pipelines().saveRef(pipeline, "refs/heads/dev", "aaa");
        store.pipelines().saveRef(pipeline, "refs/tags/v1", "bbb");
        store.pipelines().saveRef(pipeline, "refs/heads/dev", "ccc");
        assertThat(store.pipelines().refs(pipeline)).containsExactly(
                java.util.Map.entry("refs/heads/dev", "ccc"), java.util.Map.entry("refs/tags/v1", "bbb"));
        assertThat(store.pipelines().delete(pipeline)).isTrue();
        assertThat(store.pipelines().find(pipeline)).isEmpty();
        assertThat(store.pipelines().refs(pipeline)).isEmpty();
        assertThat(store.pipelines().delete(pipeline)).isFalse();
    }

    @Test
    void recordsEachWebhookDeliveryOnceAndForgetsOldOnes() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String id = pipeline + "-delivery";
        assertThat(store.pipelines().recordDelivery(pipeline, "github", id, t, t.minusSeconds(3600))).isTrue();
        assertThat(store.pipelines().recordDelivery("other", "github", id, t, t.minusSeconds(3600)))
                .as("ids are per pipeline").isTrue();
        assertThat(store.pipelines().recordDelivery(pipeline, "github", id, t.plusSeconds(1), t.minusSeconds(3600)))
                .as("a replay").isFalse();
        assertThat(store.pipelines().recordDelivery(pipeline, "gitlab", id, t, t.minusSeconds(3600)))
                .as("ids are per provider").isTrue();
        assertThat(store.pipelines().recordDelivery(pipeline, "github", id, t.plusSeconds(7200),
                t.plusSeconds(3600)))
                .as("a delivery older than the retention is forgotten").isTrue();
    }

    @Test
    void keepsTestResultsArtifactsAndTelemetryOfABuild() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        store.builds().save(build(1, "running", t));
        String id = pipeline + "-1";
        store.results().addTests(id, List.of(
                new ResultRows.TestRow("test[1]", "s", "a.B", "fast", "PASSED", 0.1, null),
                new ResultRows.TestRow("test[1]", "s", "a.B", "slow", "FAILED", 2.5, "x".repeat(5000))));
        assertThat(store.results().tests(id)).extracting(ResultRows.TestRow::name).containsExactly("slow", "fast");
        assertThat(store.results().tests(List.of(id, "no-such-build"))).containsOnlyKeys(id)
                .hasEntrySatisfying(id, rows -> assertThat(rows).extracting(ResultRows.TestRow::name)
                        .containsExactly("slow", "fast"));
        assertThat(store.results().tests(List.of())).isEmpty();
        assertThat(store.results().tests(id).get(0).message()).hasSize(4000);
        store.results().addArtifacts(id, List.of(new ResultRows.ArtifactRow("e2e", "audio", "hello.wav", 44100)));
        assertThat(store.results().artifacts(id))
                .containsExactly(new ResultRows.ArtifactRow("e2e", "audio", "hello.wav", 44100));
        store.results().addCacheUse(id, new ResultRows.CacheRow("build", "missed", "deps-v1-abc, deps-v1-", null, 3,
                t));
        store.results().addCacheUse(id, new ResultRows.CacheRow("build", "saved", "deps-v1-abc", 1L << 20, 900,
                t.plusSeconds(30)));
        assertThat(store.results().caches(id)).extracting(ResultRows.CacheRow::action)
                .containsExactly("missed", "saved");
        assertThat(store.results().caches(id).get(1).bytes()).isEqualTo(1L << 20);
        store.results().addTelemetry(id, List.of(
                new ResultRows.TelemetryRow("e2e", "task", t.plusSeconds(1), 50.5, 1024, null, null),
                new ResultRows.TelemetryRow("e2e", "task", t, 12.0, 2048, 90, 4096L)));
        assertThat(store.results().telemetry(id)).extracting(ResultRows.TelemetryRow::cpuPercent)
                .containsExactly(12.0, 50.5);
        assertThat(store.results().telemetry(id).get(0).gpuBytes()).isEqualTo(4096L);
    }

    @Test
    void pinsBuildsAndPrunesTheirLogsArtifactsAndTelemetryButKeepsTheirRecordAndTests() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        store.builds().save(build(1, "succeeded", t));
        store.builds().save(build(2, "running", t.plusSeconds(60)));
        String id = pipeline + "-1";
        store.logs().append(id, "build", "compiling\n");
        store.logs().append(id, "test[1]", "testing\n");
        store.logs().append(pipeline + "-2", "build", "still here\n");
        store.results().addTests(id, List.of(new ResultRows.TestRow("test[1]", "s", "a.B", "fast", "PASSED", 0.1,
                null)));
        store.results().addArtifacts(id, List.of(new ResultRows.ArtifactRow("e2e", "audio", "hello.wav", 44100)));
        store.results().addTelemetry(id, List.of(new ResultRows.TelemetryRow("e2e", "task", t, 12.0, 2048, null,
                null)));

        assertThat(store.builds().keeping(pipeline)).containsExactly(
                new Keeping(pipeline + "-2", pipeline, 2, t.plusSeconds(60), false, false, null),
                new Keeping(id, pipeline, 1, t, true, false, null));
        assertThat(store.builds().pin(id, true)).isTrue();
        assertThat(store.builds().keepingOf(id).orElseThrow().pinned()).isTrue();
        assertThat(store.builds().pin(id, false)).isTrue();
        assertThat(store.builds().pin("no-such-build", true)).isFalse();
        assertThat(store.builds().keepingOf("no-such-build")).isEmpty();

        assertThat(store.logs().delete(id)).isEqualTo(2);
        store.results().deleteArtifactsAndTelemetry(id);
        store.builds().markPruned(id, t.plusSeconds(3600));
        assertThat(store.logs().lineCount(id, "build")).isZero();
        assertThat(store.results().artifacts(id)).isEmpty();
        assertThat(store.results().telemetry(id)).isEmpty();
        assertThat(store.builds().keepingOf(id).orElseThrow().prunedAt()).isEqualTo(t.plusSeconds(3600));
        assertThat(store.builds().find(pipeline, 1).orElseThrow().tasks()).hasSize(3);
        assertThat(store.results().tests(id)).hasSize(1);
        assertThat(store.logs().lineCount(pipeline + "-2", "build")).as("another build's log").isEqualTo(1);
    }

    @Test
    void keepsWhenEachLineWasPrintedAndWhereEachStepStartsInTheLog() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        store.builds().save(build(1, "running", t));
        String id = pipeline + "-1";
        long at = t.toEpochMilli();
        store.logs().append(id, "build", "a\nb\nc\n", new long[] {at, at + 250, at + 249});
        store.logs().append(id, "build", "recovered\n"); // no times: a line read back from a crashed build's file
        store.logs().append(id, "build", "d\n", new long[] {at + 9000});
        assertThat(store.logs().timedLines(id, "build", 1, 10)).containsExactly(
                new LogRepository.Line("b", t.plusMillis(250)), new LogRepository.Line("c", t.plusMillis(249)),
                new LogRepository.Line("recovered", null), new LogRepository.Line("d", t.plusMillis(9000)));
        assertThat(store.logs().timedLines(id, "build", 0, 2)).extracting(LogRepository.Line::text)
                .containsExactly("a", "b");
        assertThat(store.logs().lines(id, "build", 0, 10)).containsExactly("a", "b", "c", "recovered", "d");

        store.builds().saveStep(id, "build", new StepRow(0, "compile", "running", t, null, 0L, null));
        store.builds().saveStep(id, "build", new StepRow(0, "compile", "failed", t, 900L, 0L, 3));
        store.builds().saveStep(id, "build", new StepRow(1, "report", "running", t, null, 4L, null));
        assertThat(store.builds().steps(id)).extracting(StepRow.OfTask::step).containsExactly(
                new StepRow(0, "compile", "failed", t, 900L, 0L, 3), new StepRow(1, "report", "running", t, null, 4L,
                        null));
    }

    @Test
    void remembersThePipelinesRetention() {
        PipelineRow p = new PipelineRow(pipeline, "/srv/repo.git", "gantry.yml", "main",
                java.time.Duration.ofMinutes(1), null, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        store.pipelines().save(p);
        assertThat(store.pipelines().retention(pipeline)).isEqualTo(Retention.FOREVER);
        store.pipelines().saveRetention(pipeline, new Retention(20, null));
        assertThat(store.pipelines().retention(pipeline)).isEqualTo(new Retention(20, null));
        store.pipelines().saveRetention(pipeline, new Retention(null, 30));
        assertThat(store.pipelines().retention(pipeline)).isEqualTo(new Retention(null, 30));
        store.pipelines().save(p);
        assertThat(store.pipelines().retention(pipeline)).as("saving the pipeline again").isEqualTo(
                new Retention(null, 30));
        assertThat(store.pipelines().retention("no-such-pipeline")).isEqualTo(Retention.FOREVER);
    }

    private static BatchRow batch(String task, String step, String state, long done, Instant at,
                                  List<BatchRow.Bucket> histogram, String failure) {
        return new BatchRow(task, step, state, 1000, done, done - 2, 2, 10, 3, done * 10, 12.5,
                state.equals(BatchRow.RUNNING) ? 5000L : null, 0.85, 120.0, 305.5, histogram, failure,
                state.equals(BatchRow.RUNNING) ? null : "out/chapter1", at);
    }

    @Test
    void upsertsABatchStepPerBuildTaskAndStepAndListsThemPerBuild() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        store.builds().save(build(1, "running", t));
        store.builds().save(build(2, "running", t));
        String id = pipeline + "-1";
        store.batches().save(id, batch("render", "batch chapter1", BatchRow.RUNNING, 100, t, List.of(), null));
        store.batches().save(id, batch("render", "batch chapter2", BatchRow.RUNNING, 5, t, List.of(), null));
        store.batches().save(pipeline + "-2", batch("render", "batch chapter1", BatchRow.RUNNING, 7, t, List.of(),
                null));
        List<BatchRow.Bucket> histogram = List.of(new BatchRow.Bucket(0.1, 4), new BatchRow.Bucket(25.6, 990),
                new BatchRow.Bucket(null, 6));
        BatchRow finished = batch("render", "batch chapter1", BatchRow.FINISHED, 1000, t.plusSeconds(90), histogram,
                null);
        store.batches().save(id, batch("render", "batch chapter1", BatchRow.RUNNING, 400, t.plusSeconds(1), List.of(),
                null));
        store.batches().save(id, finished);

        assertThat(store.batches().list(id)).extracting(BatchRow::step, BatchRow::state, BatchRow::done)
                .containsExactly(tuple("batch chapter1", "finished", 1000L), tuple("batch chapter2", "running", 5L));
        assertThat(store.batches().list(id).get(0)).isEqualTo(finished);
        assertThat(store.batches().list(id).get(1).histogram()).isEmpty();
        assertThat(store.batches().list(id).get(1).etaMs()).isEqualTo(5000L);
        assertThat(store.batches().list(pipeline + "-2")).singleElement().extracting(BatchRow::done).isEqualTo(7L);
        assertThat(store.batches().list(pipeline + "-3")).isEmpty();
    }

    @Test
    void keepsAStoppedBatchsFailureClippedAndNullPercentilesBeforeTheFirstAnswer() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        store.builds().save(build(1, "running", t));
        String id = pipeline + "-1";
        BatchRow none = new BatchRow("render", "batch", BatchRow.STOPPED, -1, 0, 0, 0, 0, 0, 20, 0, null, null, null,
                null, List.of(), "x".repeat(5000), null, t);
        store.batches().save(id, none);
        BatchRow stored = store.batches().list(id).get(0);
        assertThat(stored.failure()).hasSize(4000);
        assertThat(stored.total()).isEqualTo(-1);
        assertThat(stored.p50Ms()).isNull();
        assertThat(stored.p99Ms()).isNull();
        assertThat(stored.etaMs()).isNull();
        assertThat(stored.hasEnded()).isTrue();
    }

    @Test
    void concurrentFirstSavesOfOneBatchStepLeaveOneRow() throws Exception {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        store.builds().save(build(1, "running", t));
        String id = pipeline + "-1";
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> saves = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                long done = i;
                saves.add(threads.submit(() -> {
                    go.await();
                    store.batches().save(id, batch("render", "batch", BatchRow.RUNNING, done, t, List.of(), null));
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : saves) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(store.batches().list(id)).hasSize(1);
    }

    @Test
    void readsLogsFromAnyLineAcrossChunks() {
        store.builds().save(build(1, "running", Instant.now()));
        String id = pipeline + "-1";
        store.logs().append(id, "build", "a\nb\nc\n");
        store.logs().append(id, "build", "d\n");
        store.logs().append(id, "build", "e\nf\n");
        assertThat(store.logs().lineCount(id, "build")).isEqualTo(6);
        assertThat(store.logs().lines(id, "build", 0, 100)).containsExactly("a", "b", "c", "d", "e", "f");
        assertThat(store.logs().lines(id, "build", 2, 3)).containsExactly("c", "d", "e");
        assertThat(store.logs().lines(id, "build", 5, 10)).containsExactly("f");
        assertThat(store.logs().lines(id, "build", 6, 10)).isEmpty();
        assertThat(store.logs().lineCount(id, "other")).isZero();
    }

    @Test
    void keepsSecretsSealedPerScopeAndAPipelineSecretShadowsAGlobalOne() throws Exception {
        SecretVault vault = new SecretVault(store.secrets(), new SecretCipher(new byte[32]));
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String shared = "hf-" + UUID.randomUUID();
        String onlyGlobal = "g-" + UUID.randomUUID();
        vault.set(null, shared, "global-value-1", t);
        vault.set(null, onlyGlobal, "only-global-2", t);
        vault.set(pipeline, shared, "pipeline-value-3", t.plusSeconds(1));

        assertThat(store.secrets().find(pipeline, shared).orElseThrow().sealed())
                .doesNotContain("pipeline-value-3").isNotBlank();
        assertThat(vault.values(pipeline, List.of(shared, onlyGlobal, "missing-" + UUID.randomUUID())))
                .containsExactly(java.util.Map.entry(shared, "pipeline-value-3"),
                        java.util.Map.entry(onlyGlobal, "only-global-2"));
        assertThat(vault.values("other-" + UUID.randomUUID(), List.of(shared))).containsEntry(shared, "global-value-1");
        assertThat(vault.list(pipeline)).containsExactly(new SecretVault.Entry(shared, pipeline, t.plusSeconds(1)));
        assertThat(vault.visibleTo(pipeline)).filteredOn(e -> e.name().equals(shared))
                .extracting(SecretVault.Entry::scope).containsExactly("pipeline");
        assertThat(store.secrets().list(null)).extracting(SecretRow::name).contains(shared, onlyGlobal);

        assertThat(vault.remove(pipeline, shared)).isTrue();
        assertThat(vault.remove(pipeline, shared)).isFalse();
        assertThat(vault.values(pipeline, List.of(shared))).containsEntry(shared, "global-value-1");
        vault.remove(null, shared);
        vault.remove(null, onlyGlobal);
    }

    @Test
    void deletingAPipelineDeletesItsSecretsButNotTheGlobalOnes() throws Exception {
        String name = "gone-" + UUID.randomUUID();
        store.pipelines().save(new PipelineRow(name, "/repo", "gantry.yml", "main", java.time.Duration.ofMinutes(1), null,
                Instant.now()));
        SecretVault vault = new SecretVault(store.secrets(), new SecretCipher(new byte[32]));
        String global = "global-" + UUID.randomUUID();
        vault.set(name, "deploy-key", "pipeline-only-1", Instant.now());
        vault.set(null, global, "global-value-2", Instant.now());

        assertThat(store.pipelines().delete(name)).isTrue();

        assertThat(store.secrets().list(name)).isEmpty();
        assertThat(store.secrets().find(null, global)).isPresent();
        vault.remove(null, global);
    }

    @Test
    void savingASecretAgainReplacesItsValue() throws Exception {
        SecretVault vault = new SecretVault(store.secrets(), new SecretCipher(new byte[32]));
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        vault.set(pipeline, "token", "first-value", t);
        vault.set(pipeline, "token", "second-value", t.plusSeconds(5));
        assertThat(vault.values(pipeline, List.of("token"))).containsEntry("token", "second-value");
        assertThat(store.secrets().list(pipeline)).singleElement()
                .extracting(SecretRow::updatedAt).isEqualTo(t.plusSeconds(5));
    }

    @Test
    void aSealedValueOpensOnlyWithItsKeyAndUnderItsOwnName() throws Exception {
        Instant t = Instant.now();
        new SecretVault(store.secrets(), new SecretCipher(new byte[32])).set(pipeline, "a-name", "the-value-1", t);
        String sealed = store.secrets().find(pipeline, "a-name").orElseThrow().sealed();
        store.secrets().save(new SecretRow(pipeline, "b-name", sealed, t));
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        assertThatThrownBy(() -> new SecretVault(store.secrets(), new SecretCipher(otherKey))
                .values(pipeline, List.of("a-name")))
                .isInstanceOf(SecretCipher.SecretException.class).hasMessageContaining("a-name")
                .hasMessageNotContaining("the-value-1");
        assertThatThrownBy(() -> new SecretVault(store.secrets(), new SecretCipher(new byte[32]))
                .values(pipeline, List.of("b-name")))
                .isInstanceOf(SecretCipher.SecretException.class);
    }

    @Test
    void refusesAValueTooShortToMask() {
        SecretVault vault = new SecretVault(store.secrets(), new SecretCipher(new byte[32]));
        assertThatThrownBy(() -> vault.set(pipeline, "short", "1234567", Instant.now()))
                .isInstanceOf(SecretCipher.SecretException.class).hasMessageContaining("shorter than 8 characters");
        assertThat(store.secrets().find(pipeline, "short")).isEmpty();
    }

    private Release draft(String environment, long build, Instant created) {
        return new Release(pipeline, environment, 0, build, "c0ffee" + build, "main", null, "local",
                Map.of("tts-service.jar", "sha256:" + "a".repeat(64), "config/app.yml", "sha256:" + "b".repeat(64)),
                Map.of("models", "sha256:" + "c".repeat(64)), 7860, ReleaseStatus.DEPLOYING, created, null, null, null);
    }

    @Test
    void numbersReleasesPerEnvironmentFromOne() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Release first = store.releases().create(draft("staging", 4, t).withPort(0));
        assertThat(first.number()).isEqualTo(1);
        assertThat(store.releases().create(draft("staging", 5, t)).number()).isEqualTo(2);
        assertThat(store.releases().create(draft("production", 5, t)).number())
                .as("numbers are per environment").isEqualTo(1);
        Release ignoredNumber = new Release(pipeline, "staging", 99, 6, null, null, "v1", "ada", Map.of(), Map.of(),
                7860, ReleaseStatus.DEPLOYING, t, null, null, null);
        assertThat(store.releases().create(ignoredNumber).number()).as("the draft's number is ignored").isEqualTo(3);
        assertThat(store.releases().find(pipeline, "staging", 1)).contains(first);
        assertThat(store.releases().find(pipeline, "staging", 4)).isEmpty();
    }

    @Test
    void concurrentCreatorsNeverShareAReleaseNumber() throws Exception {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        int threads = 8;
        int each = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Integer>>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                long build = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<Integer> numbers = new ArrayList<>();
                    for (int j = 0; j < each; j++) {
                        numbers.add(store.releases().create(draft("production", build, t)).number());
                    }
                    return numbers;
                }));
            }
            start.countDown();
            List<Integer> all = new ArrayList<>();
            for (Future<List<Integer>> f : futures) {
                List<Integer> numbers = f.get(120, TimeUnit.SECONDS);
                assertThat(numbers).as("one creator's numbers only grow").isSorted();
                all.addAll(numbers);
            }
            assertThat(all).containsExactlyInAnyOrderElementsOf(
                    IntStream.rangeClosed(1, threads * each).boxed().toList());
            assertThat(store.releases().list(pipeline, "production")).extracting(Release::number)
                    .containsExactlyElementsOf(IntStream.iterate(threads * each, n -> n >= 1, n -> n - 1).boxed()
                            .toList());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void updatesAReleaseStatusTimesReasonAndPortAndKeepsItsContents() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Release created = store.releases().create(draft("staging", 7, t));
        assertThat(store.releases().find(pipeline, "staging", created.number())).contains(created);
        assertThat(created.liveAt()).isNull();

        Release live = created.withPort(41234).withStatus(ReleaseStatus.LIVE, t.plusSeconds(30), null);
        store.releases().update(live);
        assertThat(store.releases().find(pipeline, "staging", created.number())).contains(live);

        Release rolledBack = live.withStatus(ReleaseStatus.ROLLED_BACK, t.plusSeconds(90),
                "gate failed: voiced_ratio 0.00 < 0.2 in gate.wav");
        store.releases().update(rolledBack);
        Release stored = store.releases().find(pipeline, "staging", created.number()).orElseThrow();
        assertThat(stored).isEqualTo(rolledBack);
        assertThat(stored.liveAt()).isEqualTo(t.plusSeconds(30));
        assertThat(stored.endedAt()).isEqualTo(t.plusSeconds(90));
        assertThat(stored.port()).isEqualTo(41234);
        assertThat(stored.files()).isEqualTo(created.files());
        assertThat(stored.volumes()).isEqualTo(created.volumes());

        Release again = new Release(pipeline, "staging", created.number(), 999, "other", "dev", "v9", "bob",
                Map.of(), Map.of(), 7860, ReleaseStatus.DEPLOYING, t.plusSeconds(500), null, null, null);
        store.releases().update(again);
        Release cleared = store.releases().find(pipeline, "staging", created.number()).orElseThrow();
        assertThat(cleared.status()).isEqualTo(ReleaseStatus.DEPLOYING);
        assertThat(cleared.liveAt()).as("null times are stored as null").isNull();
        assertThat(cleared.endedAt()).isNull();
        assertThat(cleared.reason()).isNull();
        assertThat(cleared.port()).isEqualTo(7860);
        assertThat(cleared).as("identity and contents never change")
                .extracting(Release::build, Release::commit, Release::branch, Release::tag, Release::trigger,
                        Release::files, Release::createdAt)
                .containsExactly(7L, "c0ffee7", "main", null, "local", created.files(), t);

        Release neverCreated = new Release(pipeline, "staging", 42, 1, null, null, null, "x", Map.of(), Map.of(), 1,
                ReleaseStatus.LIVE, t, t, null, null);
        assertThatThrownBy(() -> store.releases().update(neverCreated))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No release 42");
        assertThat(store.releases().find(pipeline, "staging", 42)).isEmpty();
    }

    @Test
    void listsReleasesNewestFirstAndFindsTheLiveOne() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Release r1 = store.releases().create(draft("production", 1, t));
        Release r2 = store.releases().create(draft("production", 2, t.plusSeconds(10)));
        Release r3 = store.releases().create(draft("production", 3, t.plusSeconds(20)));
        store.releases().create(draft("staging", 3, t.plusSeconds(20)));
        assertThat(store.releases().live(pipeline, "production")).isEmpty();

        store.releases().update(r1.withStatus(ReleaseStatus.SUPERSEDED, t.plusSeconds(15), null));
        store.releases().update(r2.withStatus(ReleaseStatus.LIVE, t.plusSeconds(15), null));
        store.releases().update(r3.withStatus(ReleaseStatus.FAILED, t.plusSeconds(25), "gate failed"));

        assertThat(store.releases().list(pipeline, "production")).extracting(Release::number, Release::status)
                .containsExactly(tuple(3, ReleaseStatus.FAILED), tuple(2, ReleaseStatus.LIVE),
                        tuple(1, ReleaseStatus.SUPERSEDED));
        assertThat(store.releases().live(pipeline, "production")).map(Release::number).contains(2);
        assertThat(store.releases().live(pipeline, "staging")).isEmpty();
        assertThat(store.releases().list(pipeline, "nowhere")).isEmpty();
    }

    @Test
    void listsTheEnvironmentsThatHaveReleasesSorted() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String other = pipeline + "-z";
        store.releases().create(draft("staging", 1, t));
        store.releases().create(draft("production", 1, t));
        store.releases().create(draft("staging", 2, t));
        store.releases().create(new Release(other, "production", 0, 1, null, null, "v1", "poll", Map.of(), Map.of(),
                80, ReleaseStatus.DEPLOYING, t, null, null, null));
        assertThat(store.releases().environments())
                .filteredOn(k -> k.pipeline().startsWith(pipeline))
                .containsExactly(new ReleaseHistory.EnvironmentKey(pipeline, "production"),
                        new ReleaseHistory.EnvironmentKey(pipeline, "staging"),
                        new ReleaseHistory.EnvironmentKey(other, "production"));
    }

    private Delivery delivery(String id, String pipelineName, int attempt, String status, Instant at) {
        return new Delivery(id, pipelineName, "webhook", "hooks.example", "monitor_failed", null, "production", 3,
                attempt, status, status.equals("delivered") ? "HTTP/1.1 200 OK" : "connection refused", at);
    }

    @Test
    void recordsDeliveryAttemptsAndListsTheNewestFirst() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String other = pipeline + "-other";
        Delivery first = delivery("n1", pipeline, 1, "failed", t);
        Delivery second = delivery("n1", pipeline, 2, "delivered", t.plusSeconds(2));
        Delivery elsewhere = delivery("n2", other, 1, "delivered", t.plusSeconds(3));
        Delivery sameInstant = new Delivery("n3", pipeline, "email", null, "build_failed", 12L, null, null, 1,
                "gave_up", "x".repeat(5000), t.plusSeconds(2));
        store.deliveries().record(first);
        store.deliveries().record(second);
        store.deliveries().record(elsewhere);
        store.deliveries().record(sameInstant);

        List<Delivery> recent = store.deliveries().recent(pipeline, 10);
        assertThat(recent).extracting(Delivery::id, Delivery::attempt)
                .as("newest first; at one instant, the last recorded first")
                .containsExactly(tuple("n3", 1), tuple("n1", 2), tuple("n1", 1));
        assertThat(recent.get(1)).isEqualTo(second);
        assertThat(recent.get(2)).isEqualTo(first);
        assertThat(recent.get(0).build()).isEqualTo(12L);
        assertThat(recent.get(0).release()).isNull();
        assertThat(recent.get(0).target()).isNull();
        assertThat(recent.get(0).detail()).as("a long detail is clipped").hasSize(4000);

        assertThat(store.deliveries().recent(pipeline, 2)).extracting(Delivery::id).containsExactly("n3", "n1");
        assertThat(store.deliveries().recent(other, 10)).containsExactly(elsewhere);
        assertThat(store.deliveries().recent(null, 1000))
                .filteredOn(d -> d.pipeline().startsWith(pipeline))
                .extracting(Delivery::id, Delivery::attempt)
                .containsExactly(tuple("n2", 1), tuple("n3", 1), tuple("n1", 2), tuple("n1", 1));
    }

    private BuildRow onBranch(long number, String branch, String status, Instant started) {
        BuildRow b = build(number, status, started);
        return new BuildRow(b.id(), b.pipeline(), b.number(), b.pipelineFile(), b.pipelineDigest(), b.commit(), branch,
                branch == null ? "v1" : null, b.author(), b.message(), b.trigger(), b.status(), b.startedAt(),
                b.finishedAt(), b.tasks());
    }

    @Test
    void findsThePreviousFinishedBuildOfTheSameBranch() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        store.builds().save(onBranch(1, "main", "succeeded", t));
        store.builds().save(onBranch(2, "main", "failed", t.plusSeconds(1)));
        store.builds().save(onBranch(3, "dev", "succeeded", t.plusSeconds(2)));
        store.builds().save(onBranch(4, "main", "running", t.plusSeconds(3)));
        store.builds().save(onBranch(5, null, "failed", t.plusSeconds(4)));
        store.builds().save(onBranch(6, "main", "succeeded", t.plusSeconds(5)));

        BuildRow previous = store.builds().previousOnBranch(pipeline, "main", 6).orElseThrow();
        assertThat(previous.number()).as("the running build 4, dev's 3 and the tag build 5 are skipped")
                .isEqualTo(2);
        assertThat(previous.status()).isEqualTo("failed");
        assertThat(previous.tasks()).isEqualTo(onBranch(2, "main", "failed", t.plusSeconds(1)).tasks());
        assertThat(store.builds().previousOnBranch(pipeline, "main", 2)).map(BuildRow::number).contains(1L);
        assertThat(store.builds().previousOnBranch(pipeline, "main", 1)).isEmpty();
        assertThat(store.builds().previousOnBranch(pipeline, "main", 100)).map(BuildRow::number).contains(6L);
        assertThat(store.builds().previousOnBranch(pipeline, "dev", 6)).map(BuildRow::number).contains(3L);
        assertThat(store.builds().previousOnBranch(pipeline, null, 6)).isEmpty();
        assertThat(store.builds().previousOnBranch(pipeline + "-other", "main", 6)).isEmpty();
    }
}
