package dev.gantry.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.docker.container.ContainerTask;
import dev.gantry.docker.host.DockerHostSpec;
import dev.gantry.docker.host.DockerHosts;
import dev.gantry.docker.testing.DockerAvailable;
import dev.gantry.docker.testing.SecondDaemon;
import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.scheduler.EngineSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Docker host that does not share Gantry's files ({@code files=copy}; a real dockerd for which the project and
 * the volumes are empty tmpfs, as on another machine): the working copy goes into the container before each step
 * and comes back after it, so Gantry's own steps (caches, artifacts) and the container's meet, deletions included;
 * services get a copy; volumes are the host's own and persist there between builds.
 */
class CopiedFilesTest {

    @TempDir
    Path dir;

    @Test
    void theWorkingCopyTravelsBothWaysAndVolumesStayOnTheHost() throws Exception {
        DockerAvailable.images();
        Path project = Files.createDirectories(dir.resolve("project"));
        Path volumes = Files.createDirectories(dir.resolve("volumes"));
        Files.writeString(project.resolve("input.txt"), "from the source tree\n");
        Files.writeString(project.resolve("gone.txt"), "deleted by a step\n");
        Files.writeString(project.resolve("served.txt"), "served from the service's copy\n");
        try (SecondDaemon daemon = SecondDaemon.startHiding(dir)) {
            daemon.load("gantry-example/base:1");
            try (DockerHosts hosts = DockerHosts.open("copied-files-test",
                    List.of(DockerHostSpec.parse("elsewhere=" + daemon.url() + ";files=copy")), line -> { })) {
                Map<String, String> env = new HashMap<>(System.getenv());
                env.put("GANTRY_VOLUMES_DIR", volumes.toString());
                EngineSettings settings = new EngineSettings(2, false, env, Clock.systemUTC())
                        .withExecutors(DockerExecutor.factory(hosts, List.of(new ContainerTask.Mount(volumes, false))));
                String pipeline = """
                        name: t
                        defaults: {image: {name: "gantry-example/base:1", pull: never}}
                        jobs:
                          make:
                            volumes: {models: .models}
                            services:
                              web:
                                command: mkdir -p www && cp served.txt www/ && exec busybox httpd -f -p {{ port }} -h www
                                ready: {http: /served.txt}
                            steps:
                              - run: cat input.txt; echo made > out.txt; rm gone.txt; mkdir -p sub && echo deep > sub/deep.txt
                              - run: test ! -e gone.txt && echo "gone stays gone"; echo "models=$(cat .models/weights 2>/dev/null || echo none)"; echo w > .models/weights
                              - save_cache: {key: "out-{{ checksum \\"input.txt\\" }}", paths: [out.txt]}
                              - run: rm out.txt
                              - restore_cache: {keys: ["out-{{ checksum \\"input.txt\\" }}"]}
                              - run: echo "restored $(cat out.txt)"; wget -q -O- "$GANTRY_SERVICE_WEB_URL/served.txt"
                            on_success:
                              - artifacts: {paths: [out.txt, sub/deep.txt], name: made}
                        """;
                BuildFixture.Result first = new BuildFixture(project).settings(settings).run(pipeline);
                assertThat(first.task("make").state()).as(first.task("make").reason() + first.output("make"))
                        .isEqualTo(TaskState.SUCCEEDED);
                assertThat(first.output("make")).contains("from the source tree", "gone stays gone", "models=none",
                        "restored made", "served from the service's copy");
                Path artifacts = project.resolve(".gantry/builds/" + first.build().info().number() + "/artifacts/make/made");
                assertThat(artifacts.resolve("out.txt")).hasContent("made");
                assertThat(artifacts.resolve("sub/deep.txt")).hasContent("deep");
                assertThat(volumes.resolve("models/weights")).as("the volume lives on the host").doesNotExist();

                BuildFixture.Result second = new BuildFixture(project).settings(settings).run(pipeline);
                assertThat(second.task("make").state()).isEqualTo(TaskState.SUCCEEDED);
                assertThat(second.output("make")).contains("models=w");
            }
        }
    }
}
