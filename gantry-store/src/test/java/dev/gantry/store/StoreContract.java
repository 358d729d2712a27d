package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
