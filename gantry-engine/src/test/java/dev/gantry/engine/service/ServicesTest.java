package dev.gantry.engine.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.process.LeftoverProcesses;
import dev.gantry.engine.run.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Services run as real processes ({@link FakeService}) and are probed over real HTTP, TCP, exec and logs. */
class ServicesTest {

    @TempDir
    Path dir;

    private static final String FAKE = "$JAVA -cp $CP dev.gantry.engine.service.FakeService --port {{ port }}";

    private String pipeline(String jobs) {
        return """
                env:
                  JAVA: "%s"
                  CP: "%s"
                defaults: {grace_period: 3s}
                jobs:
                """.formatted(Path.of(System.getProperty("java.home"), "bin", "java"),
                System.getProperty("java.class.path")) + jobs.indent(2);
    }

    @AfterEach
    void noServiceOutlivesItsTask() throws Exception {
        assertThat(LeftoverProcesses.matching("dev.gantry.engine.service.FakeService")).isEmpty();
    }

    private static List<BuildEvent.ServiceReady> readyEvents(BuildFixture.Result r) {
        return r.events().stream().filter(e -> e instanceof BuildEvent.ServiceReady)
                .map(e -> (BuildEvent.ServiceReady) e).toList();
    }

    @Test
    void httpProbeWithJsonConditionWaitsForTheModelThenStepsReachTheServiceByItsUrl() {
        var r = new BuildFixture(dir).run(pipeline("""
                e2e:
                  services:
                    tts:
                      command: %s --ready-after 1500
                      ready:
                        http: {path: /health/ready, json: {model_loaded: true, status: ready}}
                  steps:
                    - run: curl -sf "$GANTRY_SERVICE_TTS_URL/health/ready"; echo; test "$GANTRY_SERVICE_TTS_PORT" -gt 0
                """.formatted(FAKE)));
        assertThat(r.result().state()).as(r.task("e2e").reason()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(r.output("e2e")).containsExactly("{\"status\":\"ready\",\"model_loaded\":true}");
        BuildEvent.ServiceReady ready = readyEvents(r).get(0);
        assertThat(ready.startup().toMillis()).isGreaterThanOrEqualTo(1500);
        assertThat(ready.probe()).isEqualTo("http GET /health/ready");
    }

    @Test
    void tcpExecAndLogProbesEachDecideReadiness() {
        var r = new BuildFixture(dir).run(pipeline("""
                tcp:
                  services:
                    s: {command: "%1$s", ready: {tcp: true}}
                  steps: [{run: curl -sf "$GANTRY_SERVICE_S_URL/port" > /dev/null}]
                exec:
                  services:
                    s: {command: "%1$s --ready-after 500", ready: {exec: 'curl -sf "http://127.0.0.1:$PORT/health/ready"'}}
                  steps: [{run: curl -sf "$GANTRY_SERVICE_S_URL/health/ready" > /dev/null}]
                log:
                  services:
                    s: {command: "%1$s --ready-after 500 --say-when-ready 'model loaded in 0.5s'", ready: {log: "model loaded in [0-9.]+s"}}
                  steps: [{run: curl -sf "$GANTRY_SERVICE_S_URL/health/ready" > /dev/null}]
                """.formatted(FAKE)));
        assertThat(r.task("tcp").state()).as(r.task("tcp").reason()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(r.task("exec").state()).as(r.task("exec").reason()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(r.task("log").state()).as(r.task("log").reason()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(readyEvents(r)).extracting(BuildEvent.ServiceReady::probe)
                .containsExactlyInAnyOrder("tcp service port", "exec 'curl -sf \"http://127.0.0.1:$PORT/health/ready\"'",
                        "log /model loaded in [0-9.]+s/");
    }

    @Test
    void serviceThatCrashesDuringStartupFailsWithItsExitCodeAndLastLines() {
        var r = new BuildFixture(dir).run(pipeline("""
                e2e:
                  services:
                    tts:
                      command: %s --crash-after 300 --exit-code 42
                      ready: {http: /health/ready, startup_timeout: 1m}
                  steps: [{run: echo never}]
                """.formatted(FAKE)));
        assertThat(r.task("e2e").state()).isEqualTo(TaskState.FAILED);
        assertThat(r.task("e2e").reason()).startsWith("service tts exited with code 42 during start-up, after ")
                .contains("its last lines:\n    fake loading the model\n    fake: CUDA out of memory");
        assertThat(r.output("e2e")).isEmpty();
    }

    @Test
    void serviceThatNeverBecomesReadyExhaustsItsBudgetWithTheLastProbeResult() {
        var r = new BuildFixture(dir).run(pipeline("""
                e2e:
                  services:
                    tts:
                      command: %s --ready-after 600000
                      ready: {http: /health/ready, startup_timeout: 2s}
                  steps: [{run: echo never}]
                """.formatted(FAKE)));
        assertThat(r.task("e2e").state()).isEqualTo(TaskState.FAILED);
        assertThat(r.task("e2e").reason()).matches("service tts was not ready after 2\\.\\d\\ds \\(startup_timeout 2\\.00s\\); "
                + "last probe http GET /health/ready: HTTP 503: \\{\"status\":\"loading\",\"model_loaded\":false\\}");
    }

    @Test
    void flappingReadinessNeverReachesTheSuccessThreshold() {
        var r = new BuildFixture(dir).run(pipeline("""
                e2e:
                  services:
                    tts:
                      command: %s --flap-ready
                      ready: {http: /health/ready, success_threshold: 2, startup_timeout: 2s}
                  steps: [{run: echo never}]
                """.formatted(FAKE)));
        assertThat(r.task("e2e").state()).isEqualTo(TaskState.FAILED);
        assertThat(r.task("e2e").reason()).contains("was not ready after");
    }

    @Test
    void flappingLivenessBelowTheFailureThresholdIsTolerated() {
        var r = new BuildFixture(dir).run(pipeline("""
                e2e:
                  services:
                    tts:
                      command: %s --live-flap
                      ready: {http: /health/ready}
                      live: {http: /health/live, period: 100ms, failure_threshold: 2}
                  steps: [{run: sleep 1.5 && echo survived}]
                """.formatted(FAKE)));
        assertThat(r.task("e2e").state()).as(r.task("e2e").reason()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(r.output("e2e")).containsExactly("survived");
    }

    @Test
    void serviceTurningUnhealthyFailsTheJobSayingWhenAndWhichProbe() throws Exception {
        var r = new BuildFixture(dir).run(pipeline("""
                e2e:
                  services:
                    tts:
                      command: %s --live-fail-after 1000
                      ready: {http: /health/ready}
                      live: {http: /health/live, period: 100ms, failure_threshold: 3}
                  steps: [{run: sleep 3171}]
                """.formatted(FAKE)));
        assertThat(r.task("e2e").state()).isEqualTo(TaskState.FAILED);
        assertThat(r.task("e2e").reason()).matches("service tts became unhealthy at \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z: "
                + "3 consecutive failures of its live probe http GET /health/live; last: HTTP 500: wedged");
        assertThat(LeftoverProcesses.matching("sleep 3171")).isEmpty();
    }

    @Test
    void serviceExitingWhileStepsRunFailsTheJob() {
        var r = new BuildFixture(dir).run(pipeline("""
                e2e:
                  services:
                    tts: {command: "sleep 0.5; echo bye; exit 7"}
                  steps: [{run: sleep 3172}]
                """));
        assertThat(r.task("e2e").state()).isEqualTo(TaskState.FAILED);
        assertThat(r.task("e2e").reason()).startsWith("service tts exited with code 7 while the steps ran")
                .contains("bye");
    }

    @Test
    void parallelTasksGetTheirOwnPorts() {
        var r = new BuildFixture(dir).concurrency(3).run(pipeline("""
                e2e:
                  parallelism: 3
                  services:
                    tts: {command: "%s", ready: {http: /health/ready}}
                  steps:
                    - run: curl -sf "$GANTRY_SERVICE_TTS_URL/port"; echo; sleep 0.5
                """.formatted(FAKE)));
        assertThat(r.result().state()).isEqualTo(TaskState.SUCCEEDED);
        List<String> ports = List.of(r.output("e2e[0]").get(0), r.output("e2e[1]").get(0), r.output("e2e[2]").get(0));
        assertThat(ports).doesNotHaveDuplicates();
    }

    @Test
    void servicesStartInDependencyOrderAndStopInReverse() throws Exception {
        Path record = dir.resolve("stops.txt");
        var r = new BuildFixture(dir).run(pipeline("""
                e2e:
                  services:
                    api:
                      command: %1$s --name api --record %2$s
                      depends_on: [db, cache]
                      ready: {http: /health/ready}
                    db:
                      command: %1$s --name db --record %2$s
                      ready: {http: /health/ready}
                    cache:
                      command: %1$s --name cache --record %2$s
                      depends_on: [db]
                      ready: {tcp: true}
                      stop: {signal: INT, grace_period: 5s}
                  steps: [{run: echo testing}]
                """.formatted(FAKE, record)));
        assertThat(r.result().state()).as(r.task("e2e").reason()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(readyEvents(r)).extracting(BuildEvent.ServiceReady::service).containsExactly("db", "cache", "api");
        assertThat(Files.readAllLines(record)).containsExactly("stopped api", "stopped cache", "stopped db");
    }
}
