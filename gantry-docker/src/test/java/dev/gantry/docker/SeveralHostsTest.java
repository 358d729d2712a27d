package dev.gantry.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.docker.host.DockerHostSpec;
import dev.gantry.docker.host.DockerHosts;
import dev.gantry.docker.testing.DockerAvailable;
import dev.gantry.docker.testing.SecondDaemon;
import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.scheduler.EngineSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Docker engines (second daemons on this machine, each with its own socket, data root and networks) offering
 * one GPU each: four tasks that each use a GPU are spread over both and never share one host's GPU.
 */
class SeveralHostsTest {

    @TempDir
    Path dir;

    @Test
    void fourGpuTasksOnTwoHostsWithOneGpuEachNeverOverlapOnAHostAndUseBoth() throws Exception {
        DockerAvailable.assume();
        DockerAvailable.images();
        try (SecondDaemon a = SecondDaemon.startWithGpuDriver(); SecondDaemon b = SecondDaemon.startWithGpuDriver()) {
            a.load("gantry-example/base:1");
            b.load("gantry-example/base:1");
            try (DockerHosts hosts = DockerHosts.open("several-hosts-test", List.of(
                    DockerHostSpec.parse("a=" + a.url() + ";gpu=1"), DockerHostSpec.parse("b=" + b.url() + ";gpu=1")),
                    line -> { })) {
                BuildFixture.Result r = new BuildFixture(dir).pool("gpu", 1).settings(new EngineSettings(4, false,
                        System.getenv(), Clock.systemUTC()).withExecutors(DockerExecutor.factory(hosts, List.of())))
                        .run("""
                                name: t
                                defaults: {image: {name: "gantry-example/base:1", pull: never}}
                                jobs:
                                  infer:
                                    parallelism: 4
                                    uses: {gpu: 1}
                                    steps:
                                      - run: |
                                          tr '\\0' '\\n' < /proc/1/environ | grep NVIDIA_VISIBLE_DEVICES
                                          echo "cuda=$CUDA_VISIBLE_DEVICES host-slot=$GANTRY_POOL_GPU"
                                          sleep 1
                                """);
                List<String> tasks = List.of("infer[0]", "infer[1]", "infer[2]", "infer[3]");
                tasks.forEach(t -> assertThat(r.task(t).state()).as(t + ": " + r.output(t))
                        .isEqualTo(TaskState.SUCCEEDED));
                Map<String, String> hostOf = new HashMap<>();
                Map<String, Integer> running = new HashMap<>();
                Set<String> used = new HashSet<>();
                for (BuildEvent e : r.events()) {
                    if (e instanceof BuildEvent.TaskStarted s) {
                        hostOf.put(s.task(), s.allocation().host());
                        used.add(s.allocation().host());
                        int now = running.merge(s.allocation().host(), 1, Integer::sum);
                        assertThat(now).as("tasks running on host " + s.allocation().host()).isEqualTo(1);
                    } else if (e instanceof BuildEvent.TaskFinished f && hostOf.containsKey(f.task())) {
                        running.merge(hostOf.get(f.task()), -1, Integer::sum);
                    }
                }
                assertThat(used).containsExactlyInAnyOrder("a", "b");
                for (String t : tasks) {
                    // the engine passed the device request's ID to the NVIDIA hook; inside, the GPU is number 0
                    assertThat(r.output(t)).contains("NVIDIA_VISIBLE_DEVICES=0", "cuda=0 host-slot=0");
                }
            }
        }
    }
}
