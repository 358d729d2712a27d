package dev.gantry.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.docker.host.DockerHostSpec;
import dev.gantry.docker.host.DockerHosts;
import dev.gantry.docker.testing.DockerAvailable;
import dev.gantry.docker.testing.SecondDaemon;
import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.run.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Docker host that does not share Gantry's files (a dockerd for which the build's directory is an empty tmpfs,
 * as on another machine) fails the task saying so, instead of running its steps on an empty working copy.
 */
class SharedFilesTest {

    @TempDir
    Path dir;

    @Test
    void aHostThatDoesNotSeeGantrysFilesFailsTheTaskSayingSo() throws Exception {
        DockerAvailable.images();
        Path builds = Files.createDirectories(dir.resolve("project"));
        try (SecondDaemon daemon = SecondDaemon.startHiding(builds)) {
            daemon.load("gantry-example/base:1");
            try (DockerHosts hosts = DockerHosts.open("shared-files-test",
                    List.of(DockerHostSpec.parse("elsewhere=" + daemon.url())), line -> { })) {
                BuildFixture.Result r = HostBuilds.on(builds, hosts).run("""
                                name: t
                                defaults: {image: {name: "gantry-example/base:1", pull: never}}
                                jobs:
                                  job:
                                    steps: [{run: ls; echo ran}]
                                """);
                assertThat(r.task("job").state()).isEqualTo(TaskState.ERRORED);
                assertThat(r.task("job").reason()).contains("docker host elsewhere does not see Gantry's files",
                        "shared with it at the same path");
                assertThat(r.output("job")).doesNotContain("ran");
            }
        }
    }
}
