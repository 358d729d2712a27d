package dev.gantry.engine.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.BuildFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildRecordTest {

    @TempDir
    Path dir;

    @Test
    void recordsEveryBuildWithItsTasksAndKeepsEachTasksLog() throws Exception {
        String yaml = """
                name: recorded
                jobs:
                  ok: {steps: [{run: echo fine}]}
                  bad: {retry: 2, steps: [{run: echo broken; exit 5}]}
                """;
        new BuildFixture(dir).run(yaml);
        var r = new BuildFixture(dir).run(yaml);
        assertThat(r.build().info().number()).isEqualTo(2);

        JsonNode record = new ObjectMapper().readTree(dir.resolve(".gantry/builds/2/build.json").toFile());
        assertThat(record.get("number").asInt()).isEqualTo(2);
        assertThat(record.get("trigger").asText()).isEqualTo("local");
        assertThat(record.get("status").asText()).isEqualTo("failed");
        assertThat(record.at("/pipeline/name").asText()).isEqualTo("recorded");
        assertThat(record.at("/pipeline/digest").asText()).hasSize(64);
        assertThat(record.get("finishedAt").isNull()).isFalse();
        JsonNode bad = record.get("tasks").get(1);
        assertThat(bad.get("name").asText()).isEqualTo("bad");
        assertThat(bad.get("status").asText()).isEqualTo("failed");
        assertThat(bad.get("attempts").asInt()).isEqualTo(2);
        assertThat(bad.get("reason").asText()).isEqualTo("exit code 5");
        assertThat(bad.get("durationMs").asLong()).isGreaterThanOrEqualTo(0);

        String log = Files.readString(dir.resolve(".gantry/builds/2").resolve(bad.get("log").asText()));
        assertThat(log).contains("--- attempt 1 of 2", "--- attempt 2 of 2", "broken", "failed (exit code 5)");
        assertThat(dir.resolve(".gantry/.gitignore")).content().contains("*");
    }

    @Test
    void aPipelineNameCannotLeadTheTimingsHistoryOutOfItsDirectory() {
        var r = new BuildFixture(dir).run("name: ../../escape\njobs:\n  t: {steps: [{run: echo}]}\n");
        Path file = r.build().info().timingsFile("t").normalize();
        assertThat(file.startsWith(dir.resolve(".gantry/timings"))).as(file.toString()).isTrue();
    }

    @Test
    void aReasonOfSeveralLinesIsOneMarkerLineSoTheLogReadsBackLineByLine() throws Exception {
        Path started = dir.resolve("step-started");
        var r = new BuildFixture(dir).run("""
                jobs:
                  e2e:
                    services:
                      tts: {command: "until [ -e %1$s ]; do sleep 0.05; done; echo first words; echo last words; exit 7"}
                    steps: [{run: "touch %1$s; sleep 3171"}]
                """.formatted(started));
        assertThat(r.task("e2e").reason()).contains("\n");
        String log = Files.readString(dir.resolve(".gantry/builds/1/logs/e2e.log"));
        assertThat(log.lines().filter(l -> l.contains("last words")))
                .as("the service's lines in the task log, and in the step's result marker, one line each: %s", log)
                .allSatisfy(l -> assertThat(l.equals("last words") || BuildRecorder.isMarker(l)).isTrue());
        assertThat(log.lines().filter(BuildRecorder::isMarker)).as(log).anySatisfy(l -> assertThat(l).contains("last words"));
    }
}
