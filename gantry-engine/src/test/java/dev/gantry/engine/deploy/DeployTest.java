package dev.gantry.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.core.deploy.Release;
import dev.gantry.core.deploy.ReleaseStatus;
import dev.gantry.core.pipeline.DeployDef.Rollback;
import dev.gantry.core.pipeline.DeployDef.Strategy;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.scheduler.BuildResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deploys real release processes and talks to them over real HTTP on loopback. */
class DeployTest {

    @TempDir
    Path dir;

    private DeployFixture f;

    @BeforeEach
    void setUp() {
        f = new DeployFixture(dir);
    }

    @AfterEach
    void stopEverythingDetached() throws Exception {
        f.close();
        assertThat(f.detached()).isEmpty();
    }

    private Release release(int n) {
        return f.history.find(f.pipeline, DeployFixture.ENV, n).orElseThrow();
    }

    private List<BuildEvent.DeployFinished> finished() {
        return f.events.stream().filter(e -> e instanceof BuildEvent.DeployFinished)
                .map(e -> (BuildEvent.DeployFinished) e).toList();
    }

    @Test
    void aGoodDeployIsLiveOnTheStablePortAndOutlivesItsBuild() throws Exception {
        BuildResult r = f.deploy("good", Strategy.REPLACE, Rollback.AUTO);

        assertThat(r.state()).as(r.tasks().get(0).reason()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(release(1).status()).isEqualTo(ReleaseStatus.LIVE);
        assertThat(release(1).files()).containsOnlyKeys("release/mode.txt");
        assertThat(release(1).files().get("release/mode.txt")).startsWith("sha256:");
        assertThat(release(1).volumes()).containsEntry("models",
                ReleaseFiles.volumeDigest(dir.resolve("volumes/models")));
        assertThat(f.get("/name")).isEqualTo("r1");
        Path releaseDir = f.deployments.releaseDirectory(release(1));
        for (long pid : ReleaseProcesses.pids(LaunchRecord.read(releaseDir))) {
            assertThat(Files.readString(Path.of("/proc/" + pid + "/environ"))).as("the release carries no task marker")
                    .doesNotContain("GANTRY_TASK_ID=").contains("GANTRY_RELEASE_ID=" + f.pipeline + "/staging/1/");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(releaseDir.resolve("release.json"))))
                .isEqualTo("rw-------");
        assertThat(releaseDir.resolve("pipeline.yml")).exists();
        assertThat(releaseDir.resolve("release.json")).content()
                .contains("\"marker\" : \"GANTRY_RELEASE_ID=" + f.pipeline + "/staging/1/")
                .contains("--port " + f.stablePort + " --name r$GANTRY_RELEASE_NUMBER --mode $(cat " + releaseDir);
        assertThat(releaseDir.resolve("gate.log")).content().contains("gate passed");
        assertThat(finished()).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo("succeeded");
            assertThat(e.serving()).isEqualTo(1);
        });
        Deployments.EnvironmentStatus s = f.deployments.status(f.pipeline, DeployFixture.ENV);
        assertThat(s.running()).isTrue();
        assertThat(s.health()).isEqualTo("healthy");
        assertThat(s.port()).isEqualTo(f.stablePort);
    }

    @Test
    void replaceSupersedesTheLiveReleaseAndLeavesNoProcessOfIt() throws Exception {
        f.deploy("good", Strategy.REPLACE, Rollback.AUTO);
        LaunchRecord first = LaunchRecord.read(f.deployments.releaseDirectory(release(1)));

        BuildResult r = f.deploy("good", Strategy.REPLACE, Rollback.AUTO);

        assertThat(r.state()).as(r.tasks().get(0).reason()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(release(1).status()).isEqualTo(ReleaseStatus.SUPERSEDED);
        assertThat(release(2).status()).isEqualTo(ReleaseStatus.LIVE);
        assertThat(ReleaseProcesses.pids(first)).isEmpty();
        assertThat(f.get("/name")).isEqualTo("r2");
    }

    @Test
    void aFailedGateFailsTheCandidateKeepsItsLogsAndRollsBackToThePreviousRelease() throws Exception {
        f.deploy("good", Strategy.REPLACE, Rollback.AUTO);

        BuildResult r = f.deploy("silent", Strategy.REPLACE, Rollback.AUTO);

        assertThat(r.state()).isEqualTo(TaskState.FAILED);
        assertThat(r.tasks().get(0).reason()).contains("release 2 did not go live")
                .contains("inference check").contains("release 1 serves staging (rolled back)");
        assertThat(release(2).status()).isEqualTo(ReleaseStatus.FAILED);
        assertThat(release(2).reason()).contains("the gate failed");
        assertThat(release(1).status()).isEqualTo(ReleaseStatus.LIVE);
        Path failed = f.deployments.releaseDirectory(release(2));
        assertThat(failed.resolve("service.log")).content().contains("r2 loading the model");
        assertThat(failed.resolve("gate.log")).content().contains("silence").contains("failed");
        assertThat(f.get("/name")).isEqualTo("r1");
        assertThat(ReleaseProcesses.pids(LaunchRecord.read(failed))).isEmpty();
        assertThat(finished()).last().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo("rolled_back");
            assertThat(e.serving()).isEqualTo(1);
            assertThat(e.release()).isEqualTo(2);
        });
    }

    @Test
    void blueGreenSwitchesWithoutAFailedRequestAndStopsTheOldRelease() throws Exception {
        BuildResult first = f.deploy("good", Strategy.BLUE_GREEN, Rollback.AUTO);
        assertThat(first.state()).as(first.tasks().get(0).reason()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(f.get("/name")).isEqualTo("r1");
        LaunchRecord old = LaunchRecord.read(f.deployments.releaseDirectory(release(1)));

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger failures = new AtomicInteger();
        List<String> answers = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> client = CompletableFuture.runAsync(() -> {
            while (running.get()) {
                try {
                    answers.add(f.get("/name"));
                } catch (Exception e) {
                    failures.incrementAndGet();
                    errors.add(e.toString());
                }
            }
        });
        BuildResult second = f.deploy("good", Strategy.BLUE_GREEN, Rollback.AUTO);
        await().atMost(Duration.ofSeconds(30)).until(() -> answers.contains("r2"));
        int seen = answers.size();
        await().atMost(Duration.ofSeconds(30)).until(() -> answers.size() > seen + 20);
        running.set(false);
        client.get();

        assertThat(second.state()).as(second.tasks().get(0).reason()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(failures.get()).as(String.join("\n", errors)).isZero();
        assertThat(answers.indexOf("r2")).isGreaterThan(0);
        assertThat(answers.subList(answers.indexOf("r2"), answers.size())).containsOnly("r2");
        assertThat(ReleaseProcesses.pids(old)).isEmpty();
        assertThat(release(1).status()).isEqualTo(ReleaseStatus.SUPERSEDED);
        assertThat(release(2).status()).isEqualTo(ReleaseStatus.LIVE);
    }

    @Test
    void twoDeploysOfOneEnvironmentNeverOverlap() throws Exception {
        CompletableFuture<BuildResult> a = CompletableFuture.supplyAsync(() -> deployQuietly());
        CompletableFuture<BuildResult> b = CompletableFuture.supplyAsync(() -> deployQuietly());
        assertThat(a.get().state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(b.get().state()).isEqualTo(TaskState.SUCCEEDED);

        List<String> order = f.events.stream().filter(e -> e instanceof BuildEvent.DeployStarted
                || e instanceof BuildEvent.DeployFinished).map(e -> e instanceof BuildEvent.DeployStarted s
                ? "start " + s.release() : "end " + ((BuildEvent.DeployFinished) e).release()).toList();
        assertThat(order).containsExactly("start 1", "end 1", "start 2", "end 2");
        assertThat(f.get("/name")).isEqualTo("r2");
    }

    @Test
    void keepsTheNewestReleaseDirectoriesAndTheHistoryOfAll() throws Exception {
        for (int i = 0; i < 4; i++) {
            assertThat(f.deploy("good", Strategy.REPLACE, Rollback.AUTO).state()).isEqualTo(TaskState.SUCCEEDED);
        }
        EnvironmentDirectory env = f.deployments.directory(f.pipeline, DeployFixture.ENV);
        assertThat(env.releaseNumbers()).containsExactly(4, 3, 2);
        assertThat(f.history.list(f.pipeline, DeployFixture.ENV)).hasSize(4);
    }

    @Test
    void withoutRollbackAFailedCandidateLeavesNothingServingAndSaysSo() throws Exception {
        f.deploy("good", Strategy.REPLACE, Rollback.AUTO);

        BuildResult r = f.deploy("silent", Strategy.REPLACE, Rollback.NONE);

        assertThat(r.tasks().get(0).reason()).contains("nothing serves staging now");
        assertThat(release(1).status()).isEqualTo(ReleaseStatus.SUPERSEDED);
        assertThat(release(2).status()).isEqualTo(ReleaseStatus.FAILED);
        assertThat(finished()).last().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo("failed");
            assertThat(e.serving()).isNull();
        });
    }

    @Test
    void aFailedBlueGreenCandidateNeverInterruptsTheLiveRelease() throws Exception {
        f.deploy("good", Strategy.BLUE_GREEN, Rollback.AUTO);

        BuildResult r = f.deploy("silent", Strategy.BLUE_GREEN, Rollback.AUTO);

        assertThat(r.state()).isEqualTo(TaskState.FAILED);
        assertThat(release(1).status()).isEqualTo(ReleaseStatus.LIVE);
        assertThat(release(2).status()).isEqualTo(ReleaseStatus.FAILED);
        assertThat(f.get("/name")).isEqualTo("r1");
        assertThat(finished()).last().satisfies(e -> assertThat(e.serving()).isEqualTo(1));
    }

    @Test
    void aKilledReleaseIsStartedAgainFromItsLaunchRecord() throws Exception {
        f.deploy("good", Strategy.REPLACE, Rollback.AUTO);
        LaunchRecord rec = LaunchRecord.read(f.deployments.releaseDirectory(release(1)));
        ReleaseProcesses.pids(rec).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        await().atMost(Duration.ofSeconds(30)).until(() -> !f.deployments.isRunning(release(1)));
        assertThat(f.deployments.status(f.pipeline, DeployFixture.ENV).health()).startsWith("down");

        f.deployments.startAgain(release(1));

        assertThat(f.deployments.isRunning(release(1))).isTrue();
        assertThat(f.get("/name")).isEqualTo("r1");
        assertThat(f.deployments.status(f.pipeline, DeployFixture.ENV).health()).isEqualTo("healthy");
    }

    @Test
    void aBlueGreenReleaseWhoseProxyDiedGetsItBack() throws Exception {
        f.deploy("good", Strategy.BLUE_GREEN, Rollback.AUTO);
        EnvironmentDirectory env = f.deployments.directory(f.pipeline, DeployFixture.ENV);
        dev.gantry.engine.process.ProcessTree.terminate(new dev.gantry.engine.process.ProcessTree.Selector(
                env.proxyMarker(), 0, 0), "KILL", Duration.ZERO);
        assertThat(f.deployments.status(f.pipeline, DeployFixture.ENV).health()).contains("proxy");

        f.deployments.startAgain(release(1));

        assertThat(f.get("/name")).isEqualTo("r1");
    }

    @Test
    void aGateThatOutlastsGateTimeoutFailsTheCandidate() throws Exception {
        f.deploy("good", Strategy.REPLACE, Rollback.AUTO);
        f.gate = "test \"$GANTRY_RELEASE_NUMBER\" = 1 || sleep 60";
        f.gateTimeout = Duration.ofSeconds(2);

        BuildResult r = f.deploy("good", Strategy.REPLACE, Rollback.AUTO);

        assertThat(r.state()).isEqualTo(TaskState.FAILED);
        assertThat(release(2).reason()).contains("gate_timeout").contains("ran out");
        assertThat(release(1).status()).isEqualTo(ReleaseStatus.LIVE);
        assertThat(f.get("/name")).isEqualTo("r1");
    }

    @Test
    void aDeployCancelledMidwayPutsThePreviousReleaseBack() throws Exception {
        f.deploy("good", Strategy.REPLACE, Rollback.AUTO);
        f.gate = "sleep 60";
        f.onEvent = (e, cancel) -> {
            if (e instanceof BuildEvent.DeployStarted) {
                cancel.cancel(dev.gantry.engine.cancel.Cancellation.Reason.CANCELLED, "cancelled by SIGINT");
            }
        };

        BuildResult r = f.deploy("good", Strategy.REPLACE, Rollback.AUTO);

        assertThat(r.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(release(2).status()).isEqualTo(ReleaseStatus.FAILED);
        assertThat(release(2).reason()).contains("cancelled");
        assertThat(release(1).status()).isEqualTo(ReleaseStatus.LIVE);
        assertThat(f.get("/name")).isEqualTo("r1");
    }

    @Test
    void theNextDeployMarksAReleaseLeftDeployingByAKilledGantryFailedAndStopsIt() throws Exception {
        f.deploy("good", Strategy.REPLACE, Rollback.AUTO);
        // what a Gantry process killed mid-deploy leaves: release 2 deploying, its candidate running
        Release left = f.history.create(new Release(f.pipeline, DeployFixture.ENV, 0, 9, "abc123", "main", null,
                "local", java.util.Map.of(), java.util.Map.of(), 0, ReleaseStatus.DEPLOYING, java.time.Instant.now(),
                null, null, null));
        Path leftDir = f.deployments.releaseDirectory(left);
        Files.createDirectories(leftDir);
        LaunchRecord candidate = new LaunchRecord(f.pipeline + "/staging/2/" + java.util.UUID.randomUUID(),
                f.pipeline, DeployFixture.ENV, 2, "sleep 600", "sleep 600", List.of("bash", "-c"),
                java.util.Map.of("PATH", System.getenv("PATH")), null, "replace", 0, 0, "TERM",
                Duration.ofSeconds(5), null, null);
        candidate.write(leftDir);
        ReleaseProcesses.launch(candidate, leftDir);
        await().atMost(Duration.ofSeconds(30)).until(() -> ReleaseProcesses.isRunning(candidate));

        BuildResult r = f.deploy("good", Strategy.REPLACE, Rollback.AUTO);

        assertThat(r.state()).as(r.tasks().get(0).reason()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(release(2).status()).isEqualTo(ReleaseStatus.FAILED);
        assertThat(release(2).reason()).contains("interrupted");
        assertThat(ReleaseProcesses.pids(candidate)).isEmpty();
        assertThat(release(3).status()).isEqualTo(ReleaseStatus.LIVE);
        assertThat(release(1).status()).isEqualTo(ReleaseStatus.SUPERSEDED);
        assertThat(f.get("/name")).isEqualTo("r3");
    }

    @Test
    void startAgainLeavesTheEnvironmentAloneWhileADeployHoldsItsLock() throws Exception {
        f.deploy("good", Strategy.REPLACE, Rollback.AUTO);
        LaunchRecord rec = LaunchRecord.read(f.deployments.releaseDirectory(release(1)));
        ReleaseProcesses.stop(rec);
        EnvironmentDirectory env = f.deployments.directory(f.pipeline, DeployFixture.ENV);

        try (var deploying = f.deployments.lock(env, dev.gantry.engine.cancel.Cancellation.root()).orElseThrow()) {
            // a replace deploy has stopped release 1 and is starting the next on the stable port
            CompletableFuture.runAsync(() -> {
                try {
                    f.deployments.startAgain(release(1));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get();
            assertThat(ReleaseProcesses.isRunning(rec)).as("the supervisor must not start it beside the deploy")
                    .isFalse();
        }

        f.deployments.startAgain(release(1));
        assertThat(f.get("/name")).isEqualTo("r1");
    }

    @Test
    void oneEnvironmentReachedThroughASymbolicLinkIsLockedOnce() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        Deployments a = new Deployments(real, f.history, java.time.Clock.systemUTC(), java.util.Map.of());
        Deployments b = new Deployments(link, f.history, java.time.Clock.systemUTC(), java.util.Map.of());

        try (var held = a.lock(a.directory("p", "staging"), dev.gantry.engine.cancel.Cancellation.root())
                .orElseThrow()) {
            boolean taken = CompletableFuture.supplyAsync(() -> {
                var giveUp = dev.gantry.engine.cancel.Cancellation.root();
                CompletableFuture.delayedExecutor(300, java.util.concurrent.TimeUnit.MILLISECONDS).execute(() ->
                        giveUp.cancel(dev.gantry.engine.cancel.Cancellation.Reason.CANCELLED, "waited enough"));
                try (var h = b.lock(b.directory("p", "staging"), giveUp).orElse(null)) {
                    return h != null;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get();
            assertThat(taken).as("held through the other spelling, so the second waits").isFalse();
        }
        boolean free = CompletableFuture.supplyAsync(() -> {
            try (var h = b.lock(b.directory("p", "staging"), dev.gantry.engine.cancel.Cancellation.root())
                    .orElse(null)) {
                return h != null;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get();
        assertThat(free).isTrue();
    }

    @Test
    void aFailedStartQuotesItsServiceLogWithTheBuildsSecretsMasked() throws Exception {
        f.secrets = java.util.Map.of("svc-token", "tok-9f8e7d6c5b4a");
        f.command = "echo \"connecting with tok-9f8e7d6c5b4a\"; exit 3";

        BuildResult r = f.deploy("good", Strategy.REPLACE, Rollback.AUTO);

        assertThat(r.state()).isEqualTo(TaskState.FAILED);
        assertThat(release(1).reason()).contains("connecting with ***").doesNotContain("tok-9f8e7d6c5b4a");
        assertThat(finished()).singleElement().satisfies(e ->
                assertThat(e.reason()).contains("connecting with").doesNotContain("tok-9f8e7d6c5b4a"));
    }

    private BuildResult deployQuietly() {
        try {
            return f.deploy("good", Strategy.REPLACE, Rollback.AUTO);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
