package dev.gantry.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import dev.gantry.docker.host.DockerHostSpec;
import dev.gantry.docker.host.DockerHosts;
import dev.gantry.docker.host.Labels;
import dev.gantry.docker.testing.DockerAvailable;
import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.scheduler.EngineSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole pipelines through the real loader, planner and engine, with their jobs in containers on the local engine. */
class DockerBuildTest {

    private static DockerHosts hosts;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() throws Exception {
        DockerAvailable.assume();
        DockerAvailable.images();
        hosts = DockerHosts.open("docker-build-test", List.of(DockerHostSpec.local(Map.of("gpu", 1), Map.of())),
                line -> { });
    }

    @AfterAll
    static void close() {
        if (hosts != null) {
            hosts.close();
        }
    }

    private BuildFixture fixture() {
        return new BuildFixture(dir).pool("gpu", 1).settings(new EngineSettings(4, false, System.getenv(),
                Clock.systemUTC()).withExecutors(DockerExecutor.factory(hosts, List.of())));
    }

    private List<Container> containersOf(BuildFixture.Result r) {
        return hosts.all().get(0).client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.BUILD, r.build().info().id())).exec();
    }

    @Test
    void stepsRunOneAfterAnotherInTheJobsImageAsGantrysUserWithTheirOwnExitCodes() {
        BuildFixture.Result r = fixture().run("""
                name: t
                defaults: {image: {name: "gantry-example/base:1", pull: never}}
                jobs:
                  build:
                    steps:
                      - run: grep -q docker-init /proc/1/cmdline && echo "in a container as $(id -u):$(id -g)"; echo data > made.txt
                      - run: cat made.txt; cat /proc/1/cmdline | tr '\\0' ' '; echo
                      - run: exit 3
                  local:
                    image: none
                    steps: [{run: "grep -q docker-init /proc/1/cmdline || echo on this machine"}]
                """);
        assertThat(r.task("build").state()).isEqualTo(TaskState.FAILED);
        assertThat(r.task("build").reason()).contains("3");
        assertThat(r.output("build")).contains("in a container as " + GantryUser.current(), "data");
        assertThat(String.join("\n", r.output("build"))).contains("docker-init -- sleep");
        assertThat(r.output("local")).contains("on this machine");
        assertThat(containersOf(r)).isEmpty();
    }

    @Test
    void aTimedOutStepWhoseProcessIgnoresSigtermEndsAfterTheGraceAndLeavesNoContainer() {
        BuildFixture.Result r = fixture().run("""
                name: t
                defaults: {image: {name: "gantry-example/base:1", pull: never}, grace_period: 2s}
                jobs:
                  stubborn:
                    timeout: 2s
                    steps:
                      - run: trap '' TERM; echo started; while true; do sleep 1; done
                """);
        assertThat(r.task("stubborn").state()).isEqualTo(TaskState.TIMED_OUT);
        assertThat(r.output("stubborn")).contains("started");
        // timeout 2 s + grace 2 s, then the container's removal; generous for a loaded machine
        assertThat(r.task("stubborn").duration()).isLessThan(Duration.ofSeconds(30));
        assertThat(containersOf(r)).isEmpty();
    }

    @Test
    void servicesRunInContainersOfTheirOwnImageReachableByNameAndUrlAndProbedFromGantry() {
        BuildFixture.Result r = fixture().run("""
                name: t
                defaults: {image: {name: "gantry-example/base:1", pull: never}}
                jobs:
                  e2e:
                    services:
                      web:
                        image: {name: "gantry-example/jre:1", pull: never}
                        command: mkdir -p www && echo ready > www/ready && exec busybox httpd -f -p {{ port }} -h www
                        ready: {http: /ready}
                    steps:
                      - run: wget -q -O- "$GANTRY_SERVICE_WEB_URL/ready"; wget -q -O- "http://web:$GANTRY_SERVICE_WEB_PORT/ready"
                """);
        assertThat(r.task("e2e").state()).as(r.output("e2e").toString()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(r.output("e2e")).containsSubsequence("ready", "ready");
        assertThat(containersOf(r)).isEmpty();
    }

    @Test
    void execProbesRunInsideTheTaskContainerWhereTheStepsRun() {
        // 127.0.0.1:PORT is the service only inside the task's network: from this machine nothing answers there
        BuildFixture.Result r = fixture().run("""
                name: t
                defaults: {image: {name: "gantry-example/base:1", pull: never}}
                jobs:
                  e2e:
                    services:
                      web:
                        command: mkdir -p www && echo ready > www/ready && exec busybox httpd -f -p {{ port }} -h www
                        ready: {exec: 'grep -q docker-init /proc/1/cmdline && wget -q -O- "http://127.0.0.1:$PORT/ready"'}
                        live: {exec: 'wget -q -O- "http://127.0.0.1:$PORT/ready"', period: 1s}
                    steps:
                      - run: wget -q -O- "$GANTRY_SERVICE_WEB_URL/ready"; sleep 3
                """);
        assertThat(r.task("e2e").state()).as(r.task("e2e").reason() + r.output("e2e")).isEqualTo(TaskState.SUCCEEDED);
        assertThat(r.output("e2e")).contains("ready");
        assertThat(containersOf(r)).isEmpty();
    }

    @Test
    void theJobsMemoryLimitIsTheContainersAndAUsedGpuIsADeviceRequest() {
        BuildFixture.Result r = fixture().run("""
                name: t
                defaults: {image: {name: "gantry-example/base:1", pull: never}}
                jobs:
                  small:
                    limits: {memory: 64M}
                    steps:
                      - run: cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max
                  gpu:
                    uses: {gpu: 1}
                    steps: [{run: "true"}]
                """);
        assertThat(r.output("small")).contains(String.valueOf(64L * 1024 * 1024));
        // no NVIDIA Container Toolkit on this engine: the request is made, and refused with a clear reason
        assertThat(r.task("gpu").state()).isEqualTo(TaskState.ERRORED);
        assertThat(r.task("gpu").reason()).contains("GPUs [0]", "docker host docker", "NVIDIA Container Toolkit");
        assertThat(containersOf(r)).isEmpty();
    }

    @Test
    void telemetryReadsTheContainersCgroupWhichCountsWhatNoProcessHolds() {
        // 48 MiB in the container's tmpfs: charged to its cgroup (and its memory limit), in no process's RSS
        BuildFixture.Result r = fixture().run("""
                name: t
                defaults: {image: {name: "gantry-example/base:1", pull: never}}
                jobs:
                  fill:
                    limits: {memory: 256M}
                    steps:
                      - run: dd if=/dev/zero of=/dev/shm/held bs=1M count=48 2>/dev/null && echo filled && sleep 6
                """);
        assertThat(r.task("fill").state()).as(r.output("fill").toString()).isEqualTo(TaskState.SUCCEEDED);
        dev.gantry.engine.telemetry.Summary task = r.events().stream()
                .filter(e -> e instanceof dev.gantry.engine.event.BuildEvent.TelemetrySummarized)
                .flatMap(e -> ((dev.gantry.engine.event.BuildEvent.TelemetrySummarized) e).summaries().stream())
                .filter(s -> s.scope().equals("task")).findFirst().orElseThrow();
        assertThat(task.peakRssBytes()).isGreaterThanOrEqualTo(48L * 1024 * 1024);
        assertThat(containersOf(r)).isEmpty();
    }

    @Test
    void aMissingImageThatMustNotBePulledIsAClearErrorNamingTheImageAndTheHost() {
        BuildFixture.Result r = fixture().run("""
                name: t
                jobs:
                  build:
                    image: {name: "gantry-example/not-here:1", pull: never}
                    steps: [{run: "true"}]
                """);
        assertThat(r.task("build").state()).isEqualTo(TaskState.ERRORED);
        assertThat(r.task("build").reason()).contains("image gantry-example/not-here:1 is not on docker host docker",
                "pull policy is never");
    }
}
