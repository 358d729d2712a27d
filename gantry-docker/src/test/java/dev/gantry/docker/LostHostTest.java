package dev.gantry.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.docker.host.DockerHostSpec;
import dev.gantry.docker.host.DockerHosts;
import dev.gantry.docker.host.Labels;
import dev.gantry.docker.testing.CuttableLink;
import dev.gantry.docker.testing.DockerAvailable;
import dev.gantry.docker.testing.SecondDaemon;
import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.service.PortAllocator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Docker host lost while a task runs on it (the network link to its engine cut, the engine and its containers
 * running on): the task fails saying so, the host gets no new task, and once it answers again it is marked up,
 * what the lost task left is removed, and tasks run there.
 */
class LostHostTest {

    @TempDir
    Path dir;

    private static final String PIPELINE = """
            name: t
            defaults: {image: {name: "gantry-example/base:1", pull: never}}
            jobs:
              sleeper:
                steps:
                  - run: echo up; sleep 600
            """;

    @Test
    void aHostLostMidTaskFailsItClearlyAndIsUsedAgainOnceItAnswers() throws Exception {
        DockerAvailable.images();
        try (SecondDaemon daemon = SecondDaemon.start();
             CuttableLink link = CuttableLink.open(daemon.url(), PortAllocator.allocate())) {
            daemon.load("gantry-example/base:1");
            DockerHostSpec spec = DockerHostSpec.parse("far=" + link.url() + ";files=shared");
            try (DockerHosts hosts = DockerHosts.open("lost-host-test", List.of(spec), line -> { })) {
                AtomicBoolean killed = new AtomicBoolean();
                BuildFixture.Result lost = fixture(hosts).listener(e -> {
                    if (e instanceof BuildEvent.LogLine l && l.line().equals("up") && !killed.getAndSet(true)) {
                        link.cut();
                    }
                }).run(PIPELINE);
                assertThat(killed).isTrue();
                assertThat(lost.task("sleeper").state()).isEqualTo(TaskState.FAILED);
                assertThat(lost.output("sleeper")).anyMatch(l -> l.startsWith("gantry: lost docker host far"));
                assertThat(hosts.placement().downHosts()).containsKey("far");
                assertThat(hosts.recheck()).isEmpty(); // still gone

                link.restore();
                String build = lost.build().info().id();
                assertThat(daemon.docker("ps", "-aq", "--filter", "label=" + Labels.BUILD + "=" + build).output())
                        .as("the lost task's container, left on its engine").isNotBlank();
                assertThat(hosts.recheck()).containsExactly("far");
                assertThat(hosts.placement().downHosts()).isEmpty();
                assertThat(daemon.docker("ps", "-aq", "--filter", "label=" + Labels.BUILD + "=" + build).output())
                        .isBlank();

                BuildFixture.Result again = fixture(hosts).run("""
                        name: t
                        defaults: {image: {name: "gantry-example/base:1", pull: never}}
                        jobs:
                          quick:
                            steps: [{run: echo back}]
                        """);
                assertThat(again.task("quick").state()).isEqualTo(TaskState.SUCCEEDED);
                assertThat(again.output("quick")).contains("back");
            }
        }
    }

    private BuildFixture fixture(DockerHosts hosts) {
        return HostBuilds.on(dir, hosts);
    }
}
