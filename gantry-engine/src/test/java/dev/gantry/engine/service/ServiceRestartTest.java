package dev.gantry.engine.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.core.load.PipelineLoader;
import dev.gantry.core.load.StepTypes;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.pipeline.Problems;
import dev.gantry.core.plan.Plan;
import dev.gantry.core.plan.Planner;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.event.BuildInfo;
import dev.gantry.engine.exec.LocalExecutor;
import dev.gantry.engine.git.RevisionReader;
import dev.gantry.engine.process.LeftoverProcesses;
import dev.gantry.engine.run.TaskRun;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.scheduler.BuildResult;
import dev.gantry.engine.scheduler.BuildRunner;
import dev.gantry.engine.scheduler.EngineSettings;
import dev.gantry.engine.step.StepRunner;
import dev.gantry.engine.step.StepRunners;
import dev.gantry.engine.workspace.Directories;
import dev.gantry.engine.workspace.SourceTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job's service with {@code restart:} is started again on its port when it exits or fails its live probe, until
 * its budget is spent; its steps see its health through {@code StepContext.services()}. The services are real
 * processes ({@link FakeService}); the steps are real bash scripts that make the service exit by a file.
 */
class ServiceRestartTest {

    private static final Duration LONG = Duration.ofSeconds(60);

    private static final String FAKE = "$JAVA -cp $CP dev.gantry.engine.service.FakeService --port {{ port }}";

    @TempDir
    Path dir;

    /** The services the last {@code run} step of a build saw. */
    private final AtomicReference<Map<String, ServiceHandle>> seen = new AtomicReference<>();

    @AfterEach
    void noServiceOutlivesItsTask() throws Exception {
        assertThat(LeftoverProcesses.matching("dev.gantry.engine.service.FakeService")).isEmpty();
    }

    @Test
    void serviceThatExitsMidStepsIsRestartedOnItsPortAndTheStepsGoOn() throws Exception {
        Path starts = dir.resolve("starts");
        Path exit = dir.resolve("exit");
        Run r = run("""
                e2e:
                  services:
                    tts:
                      command: %s --starts %s --exit-on %s --exit-code 137
                      ready: {http: /health/ready}
                      restart: {max: 2}
                  steps:
                    - run: |
                        touch %3$s
                        until [ "$(wc -l < %2$s)" -ge 2 ]; do sleep 0.05; done
                        curl -sf "$GANTRY_SERVICE_TTS_URL/name"; echo
                """.formatted(FAKE, starts, exit));
        assertThat(r.task("e2e").state()).as(r.task("e2e").reason()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(r.output()).containsExactly("service tts exited with code 137; restart 1 of 2", "fake");
        assertThat(Files.readAllLines(starts)).containsExactly("start 1", "start 2");
        assertThat(r.serviceEvents()).containsExactly("started", "ready", "stopped 137", "started", "ready",
                "stopped 143");
        assertThat(r.of(BuildEvent.ServiceStarted.class)).extracting(BuildEvent.ServiceStarted::port)
                .containsOnly(port(seen.get().get("tts")));
        assertThat(r.serviceLog()).contains("gantry: service tts exited with code 137; restart 1 of 2");
    }

    @Test
    void serviceExitingPastItsBudgetFailsTheTaskWithTheReasonAndIsGone() throws Exception {
        Path starts = dir.resolve("starts");
        Path exit = dir.resolve("exit");
        Run r = run("""
                e2e:
                  services:
                    tts:
                      command: %s --starts %s --exit-on %s --exit-code 137
                      ready: {http: /health/ready}
                      restart: {max: 2}
                  steps:
                    - run: |
                        for n in 2 3 4; do
                          touch %3$s
                          until [ "$(wc -l < %2$s)" -ge $n ]; do sleep 0.05; done
                        done
                        echo never
                """.formatted(FAKE, starts, exit));
        TaskRun task = r.task("e2e");
        assertThat(task.state()).isEqualTo(TaskState.FAILED);
        assertThat(task.reason()).startsWith("service tts exited with code 137 while the steps ran; its restart "
                + "budget is spent (max 2 over the task's run); its last lines:").contains("fake: told to exit");
        // Gantry's lines; the step, stopped mid-loop, may print its shell's "Terminated" too, or not
        assertThat(r.output()).filteredOn(l -> l.startsWith("service ")).containsExactly(
                "service tts exited with code 137; restart 1 of 2", "service tts exited with code 137; restart 2 of 2");
        assertThat(r.serviceEvents()).containsExactly("started", "ready", "stopped 137", "started", "ready",
                "stopped 137", "started", "ready", "stopped 137");
        ServiceHandle tts = seen.get().get("tts");
        assertThat(tts.healthy()).isFalse();
        assertThat(tts.gone()).isEqualTo(task.reason());
        assertThat(tts.awaitHealthy(Cancellation.root())).isFalse();
    }

    @Test
    void restartsWhoseStartUpFailsUseTheBudgetOneByOneThenEndTheTaskSayingWhichRestart() throws Exception {
        Path starts = dir.resolve("starts");
        Path exit = dir.resolve("exit");
        Run r = run("""
                e2e:
                  services:
                    tts:
                      command: %s --starts %s --exit-on %s --crash-at-start 2 --exit-code 9
                      ready: {http: /health/ready}
                      restart: {max: 3, within: 10m}
                  steps:
                    - run: touch %3$s; sleep 3173
                """.formatted(FAKE, starts, exit));
        TaskRun task = r.task("e2e");
        assertThat(task.state()).isEqualTo(TaskState.FAILED);
        // start 2 never listens, so it stays "start 2" and crashes each time: every restart is tried, one by one
        assertThat(task.reason()).startsWith("restart 3 of 3 failed: service tts exited with code 9 during start-up")
                .contains("fake: start 2 crashes");
        // Gantry's lines; the step, stopped in its sleep, may print its shell's "Terminated" too, or not
        List<String> lines = r.output().stream().filter(l -> l.startsWith("service ") || l.startsWith("restart "))
                .toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("service tts exited with code 9; restart 1 of 3");
        assertThat(lines.get(1)).startsWith("restart 1 of 3 failed: service tts exited with code 9 during start-up")
                .endsWith("; restart 2 of 3");
        assertThat(lines.get(2)).startsWith("restart 2 of 3 failed: ").endsWith("; restart 3 of 3");
        assertThat(seen.get().get("tts").gone()).isEqualTo(task.reason());
        assertThat(LeftoverProcesses.matching("sleep 3173")).isEmpty();
    }

    @Test
    void aBatchGoesOnThroughItsServicesCrashAndRestartAndCompletesWithoutSpendingRetries() throws Exception {
        Path starts = dir.resolve("starts");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            lines.append("{\"custom_id\": \"c").append(i).append("\", \"url\": \"/tts\", \"body\": {\"n\": ")
                    .append(i).append("}}\n");
        }
        Files.writeString(dir.resolve("book.jsonl"), lines);
        Run r = run("""
                book:
                  services:
                    tts:
                      command: %s --starts %s --die-at-request 20
                      ready: {http: /health/ready}
                      restart: {max: 2}
                  steps:
                    - batch: {input: book.jsonl, service: tts, output: out, concurrency: 4, retries: 0}
                """.formatted(FAKE, starts));
        TaskRun task = r.task("book");
        assertThat(task.state()).as(task.reason()).isEqualTo(TaskState.SUCCEEDED);
        // the first copy died at its 20th request, with others in flight; none of them was charged a retry (there
        // are none): every item ended in results once the restarted copy answered
        assertThat(r.output()).contains("service tts exited with code 137; restart 1 of 2");
        assertThat(Files.readAllLines(starts)).hasSize(2);
        BuildEvent.BatchFinished end = r.events().stream().filter(BuildEvent.BatchFinished.class::isInstance)
                .map(BuildEvent.BatchFinished.class::cast).findFirst().orElseThrow();
        assertThat(end.failure()).isNull();
        assertThat(end.figures().succeeded()).isEqualTo(60);
        assertThat(end.figures().failed()).isZero();
        assertThat(r.output()).anySatisfy(l -> assertThat(l).startsWith("batch: paused: the service is down"));
    }

    @Test
    void serviceFailingItsLiveProbeIsStoppedWithItsSignalThenRestarted() throws Exception {
        Path starts = dir.resolve("starts");
        Path wedge = dir.resolve("wedge");
        Path record = dir.resolve("stops");
        Run r = run("""
                e2e:
                  services:
                    tts:
                      command: %s --starts %s --wedge-on %s --record %s
                      ready: {http: /health/ready}
                      live: {http: /health/live, period: 100ms, failure_threshold: 2}
                      restart: {max: 1}
                  steps:
                    - run: |
                        touch %3$s
                        until [ "$(wc -l < %2$s)" -ge 2 ]; do sleep 0.05; done
                        curl -sf "$GANTRY_SERVICE_TTS_URL/name"; echo
                """.formatted(FAKE, starts, wedge, record));
        assertThat(r.task("e2e").state()).as(r.task("e2e").reason()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(r.output()).hasSize(2);
        assertThat(r.output().get(0)).matches("service tts became unhealthy at \\S+: 2 consecutive failures of its "
                + "live probe http GET /health/live; last: HTTP 500: wedged; restart 1 of 1");
        assertThat(r.output().get(1)).isEqualTo("fake");
        // the wedged copy heard its stop signal (its shutdown hook ran), as did the restarted one at the end
        assertThat(Files.readAllLines(record)).containsExactly("stopped fake", "stopped fake");
        assertThat(r.serviceEvents()).containsExactly("started", "ready", "stopped 143", "started", "ready",
                "stopped 143");
    }

    @Test
    void restartUnderWayWhenTheStepsEndIsAbandonedAndItsCopyStopped() throws Exception {
        Path starts = dir.resolve("starts");
        Path exit = dir.resolve("exit");
        Run r = run("""
                e2e:
                  services:
                    tts:
                      command: %s --starts %s --exit-on %s --exit-code 137 --loading-at-start 2
                      ready: {http: /health/ready}
                      restart: {max: 2}
                  steps:
                    - run: |
                        touch %3$s
                        until [ "$(wc -l < %2$s)" -ge 2 ]; do sleep 0.05; done
                """.formatted(FAKE, starts, exit));
        assertThat(r.task("e2e").state()).as(r.task("e2e").reason()).isEqualTo(TaskState.SUCCEEDED);
        // the second copy was still loading when the steps ended: never ready, stopped, and no third copy
        assertThat(r.serviceEvents()).containsExactly("started", "ready", "stopped 137", "started", "stopped 143");
        assertThat(Files.readAllLines(starts)).containsExactly("start 1", "start 2");
        assertThat(seen.get().get("tts").gone()).isEqualTo("service tts was stopped: the job's steps are over");
    }

    @Test
    void serviceWithoutRestartStillFailsOnItsFirstExitAndItsHandleSaysWhy() throws Exception {
        Path exit = dir.resolve("exit");
        Run r = run("""
                e2e:
                  services:
                    tts: {command: "%s --exit-on %s --exit-code 7", ready: {http: /health/ready}}
                  steps: [{run: touch %2$s; sleep 3174}]
                """.formatted(FAKE, exit));
        TaskRun task = r.task("e2e");
        assertThat(task.state()).isEqualTo(TaskState.FAILED);
        assertThat(task.reason()).startsWith("service tts exited with code 7 while the steps ran; its last lines:")
                .contains("fake: told to exit");
        assertThat(r.output()).isEmpty();
        assertThat(r.serviceEvents()).containsExactly("started", "ready", "stopped 7");
        assertThat(seen.get().get("tts").gone()).isEqualTo(task.reason());
        assertThat(LeftoverProcesses.matching("sleep 3174")).isEmpty();
    }

    @Test
    void handleGoesUnhealthyWhileTheLiveProbeFailsAndHealthyWhenItPassesAgain() throws Exception {
        Path failing = dir.resolve("failing");
        Path done = dir.resolve("done");
        String yaml = """
                e2e:
                  services:
                    tts:
                      command: %s --live-fail-while %s
                      ready: {http: /health/ready}
                      live: {http: /health/live, period: 200ms, failure_threshold: 100}
                  steps:
                    - run: until [ -e %s ]; do sleep 0.05; done
                """.formatted(FAKE, failing, done);
        CompletableFuture<Run> build = CompletableFuture.supplyAsync(() -> run(yaml));
        try {
            await().atMost(LONG).until(() -> seen.get() != null);
            ServiceHandle tts = seen.get().get("tts");
            assertThat(tts.name()).isEqualTo("tts");
            assertThat(tts.url()).matches("http://127\\.0\\.0\\.1:\\d+");
            assertThat(tts.healthy()).isTrue();
            assertThat(tts.awaitHealthy(Cancellation.root())).isTrue();

            Files.createFile(failing);
            await().atMost(LONG).until(() -> !tts.healthy());
            Cancellation given = Cancellation.root();
            CompletableFuture<Boolean> cancelledWait = CompletableFuture.supplyAsync(() -> awaitHealthy(tts, given));
            given.cancel(Cancellation.Reason.CANCELLED, "the step was stopped");
            assertThat(cancelledWait.get(LONG.toSeconds(), TimeUnit.SECONDS)).isFalse();
            CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(
                    () -> awaitHealthy(tts, Cancellation.root()));
            Files.delete(failing);
            assertThat(waiting.get(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(tts.healthy()).isTrue();
            assertThat(tts.gone()).isNull();
        } finally {
            Files.writeString(done, "");
        }
        Run r = build.get(LONG.toSeconds(), TimeUnit.SECONDS);
        assertThat(r.task("e2e").state()).as(r.task("e2e").reason()).isEqualTo(TaskState.SUCCEEDED);
        ServiceHandle tts = seen.get().get("tts");
        assertThat(tts.healthy()).isFalse();
        assertThat(tts.gone()).isEqualTo("service tts was stopped: the job's steps are over");
        assertThat(tts.awaitHealthy(Cancellation.root())).isFalse();
    }

    private static boolean awaitHealthy(ServiceHandle handle, Cancellation c) {
        try {
            return handle.awaitHealthy(c);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int port(ServiceHandle handle) {
        return Integer.parseInt(handle.url().substring(handle.url().lastIndexOf(':') + 1));
    }

    /**
     * Runs a pipeline as {@code BuildFixture} does (real loader, planner, local executor and engine), with a
     * {@code run} runner that also hands the test the services its steps see.
     */
    private Run run(String jobs) {
        try {
            String yaml = """
                    env:
                      JAVA: "%s"
                      CP: "%s"
                    defaults: {grace_period: 3s}
                    jobs:
                    """.formatted(Path.of(System.getProperty("java.home"), "bin", "java"),
                    System.getProperty("java.class.path")) + jobs.indent(2);
            Path file = dir.resolve("gantry.yml");
            Files.writeString(file, yaml);
            Problems problems = new Problems();
            Pipeline p = new PipelineLoader(StepTypes.standard()).parse("gantry.yml", Files.readAllBytes(file),
                    problems).orElse(null);
            problems.throwIfAny();
            Plan plan = new Planner().plan(p, RevisionReader.read(dir), List.of());
            Path buildDir = Files.createDirectories(dir.resolve(".gantry").resolve("build"));
            BuildInfo info = new BuildInfo(1, "restarts", p.name(), p.file(), p.digest(), plan.revision(), "local",
                    buildDir, dir.resolve(".gantry").resolve("timings"));
            Path work = buildDir.resolve("work");
            StepRunner standardRun = StepRunners.standard().get("run");
            StepRunners runners = new StepRunners().register(new StepRunner() {
                @Override
                public String type() {
                    return "run";
                }

                @Override
                public dev.gantry.engine.run.Outcome run(dev.gantry.core.pipeline.StepDef step,
                                                         dev.gantry.engine.step.StepContext context) {
                    seen.set(context.services());
                    return standardRun.run(step, context);
                }
            }).register(new dev.gantry.engine.batch.BatchStepRunner());
            List<BuildEvent> events = new CopyOnWriteArrayList<>();
            BuildRunner runner = new BuildRunner(new LocalExecutor(SourceTree.scan(dir), work, Map.of()), runners,
                    new EngineSettings(1, false, System.getenv(), Clock.systemUTC()), events::add);
            try {
                BuildResult result = runner.run(plan, info, Cancellation.root());
                return new Run(result, List.copyOf(events));
            } finally {
                Directories.deleteTree(work);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A finished build with the events it reported. */
    private record Run(BuildResult result, List<BuildEvent> events) {

        TaskRun task(String name) {
            return result.tasks().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
        }

        /** The task's log lines, the restarts' included. */
        List<String> output() {
            return of(BuildEvent.LogLine.class).stream().map(BuildEvent.LogLine::line).toList();
        }

        List<String> serviceLog() {
            return of(BuildEvent.ServiceLog.class).stream().map(BuildEvent.ServiceLog::line).toList();
        }

        /** The service's life in order: {@code started}, {@code ready}, {@code stopped CODE}. */
        List<String> serviceEvents() {
            return events.stream().<String>mapMulti((e, out) -> {
                if (e instanceof BuildEvent.ServiceStarted) {
                    out.accept("started");
                } else if (e instanceof BuildEvent.ServiceReady) {
                    out.accept("ready");
                } else if (e instanceof BuildEvent.ServiceStopped s) {
                    out.accept("stopped" + (s.exitCode() == null ? "" : " " + s.exitCode()));
                }
            }).toList();
        }

        <T> List<T> of(Class<T> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }
}
