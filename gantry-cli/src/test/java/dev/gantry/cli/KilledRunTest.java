package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import dev.gantry.docker.host.DockerHost;
import dev.gantry.docker.host.DockerHostSpec;
import dev.gantry.docker.host.Labels;
import dev.gantry.docker.testing.DockerAvailable;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code gantry run} killed with SIGKILL (no shutdown hook, no clean-up) leaves its task's container and network
 * on the engine; the next {@code gantry run} of that directory removes them before its build.
 */
class KilledRunTest {

    @TempDir
    Path dir;

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private Process gantry() throws Exception {
        return new ProcessBuilder(JAVA, "-cp", System.getProperty("java.class.path"), "dev.gantry.cli.Main", "run",
                dir.toString(), "--no-color", "--executor", "docker").redirectErrorStream(true).start();
    }

    @Test
    void theNextRunRemovesWhatAKilledRunLeftInDocker() throws Exception {
        DockerAvailable.images();
        Files.writeString(dir.resolve("gantry.yml"), """
                defaults: {image: {name: "gantry-example/base:1", pull: never}}
                jobs:
                  sleeper:
                    steps:
                      - run: echo "up $GANTRY_BUILD_ID"; sleep 600
                """);
        Process first = gantry();
        BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        String buildId = null;
        while (buildId == null) {
            String line = out.readLine();
            assertThat(line).as("gantry ended early: %s", lines).isNotNull();
            lines.add(line);
            if (line.contains("│ up ")) {
                buildId = line.substring(line.indexOf("│ up ") + 5).trim();
            }
        }
        first.destroyForcibly(); // SIGKILL
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

        try (DockerHost docker = DockerHost.connect(DockerHostSpec.local(Map.of(), Map.of()))) {
            Map<String, String> ofBuild = Map.of(Labels.BUILD, buildId);
            List<Container> left = docker.client().listContainersCmd().withShowAll(true).withLabelFilter(ofBuild)
                    .exec();
            List<Network> networks = docker.client().listNetworksCmd().withFilter("label",
                    List.of(Labels.BUILD + "=" + buildId)).exec();
            assertThat(left).as("the killed run's task container").hasSize(1);
            assertThat(networks).as("the killed run's task network").hasSize(1);

            Files.writeString(dir.resolve("gantry.yml"), """
                    defaults: {image: {name: "gantry-example/base:1", pull: never}}
                    jobs:
                      quick:
                        steps: [{run: echo done}]
                    """);
            Process second = gantry();
            String output = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).as(output).isZero();
            assertThat(output).contains("left by a Gantry that was killed");
            assertThat(docker.client().listContainersCmd().withShowAll(true).withLabelFilter(ofBuild).exec())
                    .isEmpty();
            assertThat(docker.client().listNetworksCmd().withFilter("label",
                    List.of(Labels.BUILD + "=" + buildId)).exec()).isEmpty();
        }
    }
}
