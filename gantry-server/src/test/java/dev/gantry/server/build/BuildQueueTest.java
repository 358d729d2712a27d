package dev.gantry.server.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.engine.scheduler.EngineSettings;
import dev.gantry.engine.serial.SerialGates;
import dev.gantry.server.ServerLog;
import dev.gantry.server.ServerSettings;
import dev.gantry.server.git.GitMirror;
import dev.gantry.server.git.Mirrors;
import dev.gantry.server.metrics.ServerMetrics;
import dev.gantry.record.LogHub;
import dev.gantry.store.BuildRow;
import dev.gantry.store.PipelineRow;
import dev.gantry.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue stays whole when a build's thread fails as nothing should make it fail: an {@link Error} (a pipeline
 * nested deeply enough to overflow the loader's stack) ends that build errored and frees its slot.
 */
class BuildQueueTest {

    @TempDir
    Path tmp;
    Store store;
    dev.gantry.engine.notify.Notifier notifier;
    LogHub logs;
    AutoCloseable flusher;
    ServerMetrics metrics = new ServerMetrics();
    ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    ServerSettings settings;
    PipelineRow pipeline;
    GitMirror.CommitInfo commit;

    @BeforeEach
    void setUp() throws Exception {
        Path repo = tmp.resolve("repo");
        String sha;
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            Files.writeString(repo.resolve("gantry.yml"), "jobs:\n  a:\n    steps:\n      - run: echo ran\n");
            git.add().addFilepattern(".").call();
            PersonIdent who = new PersonIdent("Ada", "ada@example.com");
            sha = git.commit().setMessage("a").setAuthor(who).setCommitter(who).call().name();
        }
        store = Store.embedded(tmp.resolve("data/db"));
        notifier = new dev.gantry.engine.notify.Notifier(store.deliveries(), m -> { });
        logs = new LogHub(store.logs());
        flusher = logs.flushEvery(Duration.ofMillis(100));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("GANTRY_CACHE_DIR", tmp.resolve("caches").toString());
        settings = new ServerSettings(tmp.resolve("data"), "127.0.0.1", 0, 1, Map.of("gpu", 0),
                new EngineSettings(2, false, env, Clock.systemUTC()), Duration.ofSeconds(1));
        pipeline = new PipelineRow("p", repo.toString(), "gantry.yml", "main", Duration.ofHours(1), null,
                Instant.now());
        store.pipelines().save(pipeline);
        new Mirrors(settings.dataDir().resolve("repos")).of(pipeline).fetch();
        commit = new GitMirror.CommitInfo(sha, "Ada", "a");
    }

    @AfterEach
    void tearDown() throws Exception {
        notifier.close();
        flusher.close();
        store.close();
    }

    private BuildQueue queue(Function<BuildJob, String> runner) {
        return new BuildQueue(store, new dev.gantry.store.SecretVault(store.secrets(),
                new dev.gantry.store.SecretCipher(new byte[32])), logs, new Mirrors(settings.dataDir().resolve("repos")), settings,
                new SerialGates(), metrics, new ServerLog(new PrintStream(logBytes, true, StandardCharsets.UTF_8),
                Clock.systemUTC()), notifier, runner);
    }

    private BuildRow stored(long number) {
        return store.builds().find("p", number).orElseThrow();
    }

    @Test
    void anErrorOnTheBuildThreadErrorsTheBuildAndFreesItsSlot() {
        Function<BuildJob, String> overflowFirst = job -> {
            if (job.row().number() == 1) {
                throw new StackOverflowError();
            }
            return job.run();
        };
        try (BuildQueue queue = queue(overflowFirst)) {
            BuildRow first = queue.enqueue(new BuildQueue.Request(pipeline, commit, "main", null, "manual"));
            BuildRow second = queue.enqueue(new BuildQueue.Request(pipeline, commit, "main", null, "manual"));

            await().atMost(Duration.ofMinutes(3)).until(() -> stored(2).hasEnded());
            assertThat(stored(1).status()).isEqualTo("errored");
            assertThat(stored(1).tasks()).extracting(BuildRow.TaskRow::name).contains(BuildJob.SETUP_TASK);
            assertThat(store.logs().lines(first.id(), BuildJob.SETUP_TASK, 0, 10)).singleElement().asString()
                    .contains("internal error", "stack overflowed");
            assertThat(stored(2).status()).as("the next build got the only slot (its setup log: %s)",
                    store.logs().lines(second.id(), BuildJob.SETUP_TASK, 0, 10)).isEqualTo("succeeded");
            assertThat(queue.cancel(stored(1))).as("an errored build is not pretended to be cancelling").isFalse();
            assertThat(queue.isRunning(first.id())).isFalse();
            // the second build's record ends a moment before its thread leaves the running set: its slot is freed
            // once that thread is done, which is what is asserted here (not that the two happen at once)
            await().atMost(Duration.ofMinutes(1)).until(() -> !queue.isRunning(second.id()));
            await().atMost(Duration.ofMinutes(1)).until(() -> metrics.scrape().contains("gantry_builds_running 0.0"));
            assertThat(metrics.scrape()).contains("gantry_builds_queued 0.0",
                    "gantry_builds_finished_total{state=\"errored\"} 1.0");
        }
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("build p #1 failed internally",
                "failed internally: StackOverflowError", "build p #1 errored");
    }

    @Test
    void everyQueuedBuildCountsAsATriggerWhateverQueuedIt() {
        try (BuildQueue queue = queue(job -> "succeeded")) {
            queue.enqueue(new BuildQueue.Request(pipeline, commit, "main", null, "manual"));
            BuildRow polled = queue.enqueue(new BuildQueue.Request(pipeline, commit, "main", null, "poll"));
            await().atMost(Duration.ofMinutes(1)).until(() -> !queue.isRunning(polled.id()));
            queue.rebuild(polled);
        }
        assertThat(metrics.scrape()).contains("gantry_triggers_total{trigger=\"manual\"} 1.0",
                "gantry_triggers_total{trigger=\"poll\"} 1.0", "gantry_triggers_total{trigger=\"rebuild\"} 1.0");
    }
}
