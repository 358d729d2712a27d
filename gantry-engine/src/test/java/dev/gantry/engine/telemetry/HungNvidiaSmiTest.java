package dev.gantry.engine.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.process.LeftoverProcesses;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.scheduler.EngineSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GPU sampling through an {@code nvidia-smi} that hangs or is slow, as a wedged driver makes it. */
class HungNvidiaSmiTest {

    @TempDir
    Path dir;

    @TempDir
    Path bin;

    private BuildFixture withNvidiaSmi(String script, Duration interval) throws Exception {
        Path fake = bin.resolve("nvidia-smi");
        Files.writeString(fake, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PATH", bin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        return new BuildFixture(dir).settings(new EngineSettings(4, false, env, Clock.systemUTC(), interval));
    }

    @Test
    void aHungNvidiaSmiHoldsUpNoTimeoutAndIsKilledAfterwards() throws Exception {
        BuildFixture fixture = withNvidiaSmi("sleep 1009", Duration.ofMillis(200));
        // a hang guard only: with sampling on the timer thread the step's timeout never fired
        var r = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> fixture.run("""
                jobs:
                  train:
                    limits: {gpu_memory: 1g}
                    steps:
                      - run: {command: sleep 3217, timeout: 1s}
                """));
        assertThat(r.task("train").state()).isEqualTo(TaskState.TIMED_OUT);
        assertThat(r.task("train").reason()).contains("timed out after 1");
        await().atMost(Duration.ofSeconds(60)).until(() -> LeftoverProcesses.matching("sleep 1009").isEmpty());
        assertThat(LeftoverProcesses.matching("sleep 3217")).isEmpty();
    }

    @Test
    void noSampleIsReportedAfterItsTaskFinished() throws Exception {
        BuildFixture fixture = withNvidiaSmi("sleep 0.3; echo '0, 50, 1000, 80000'", Duration.ofMillis(20));
        var r = fixture.run("""
                jobs:
                  quick:
                    parallelism: 4
                    steps: [{run: "true"}]
                """);
        assertThat(r.result().state()).isEqualTo(TaskState.SUCCEEDED);
        List<BuildEvent> events = r.events();
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof BuildEvent.TaskFinished f) {
                String task = f.task();
                assertThat(events.subList(i, events.size()))
                        .as("samples of %s after it finished", task)
                        .noneMatch(e -> e instanceof BuildEvent.TelemetrySampled s && s.task().equals(task));
            }
        }
    }
}
