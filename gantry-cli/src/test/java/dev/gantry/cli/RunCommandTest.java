package dev.gantry.cli;

import static dev.gantry.cli.CliFixture.gantry;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.store.BuildRow;
import dev.gantry.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {

    @TempDir
    Path dir;

    private Path example(String file) throws IOException {
        Files.copy(Path.of("../examples/hello").resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        return dir.resolve(file);
    }

    @Test
    void helloExampleSucceedsAndPrintsTheSummary() throws Exception {
        var r = gantry("run", example("gantry.yml").getParent().toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out())
                .containsPattern("flaky +│ simulated flake on attempt 1")
                .containsPattern("flaky +│ retrying: attempt 2 of 2")
                .contains("✓ flaky succeeded after 2 attempts")
                .containsPattern("TASK +STATUS +ATTEMPTS +DURATION")
                .containsPattern("flaky +succeeded +2 ")
                .containsPattern("lint\\[os=mac,python=3.12\\] +succeeded +1 ")
                .contains("Build #1 succeeded")
                .doesNotContain("\u001b[");
        assertThat(dir.resolve(".gantry/builds/1/build.json")).exists();
    }

    @Test
    void everyRunIsRecordedInTheEmbeddedStoreWithItsLogs() throws Exception {
        assertThat(gantry("run", example("failing.yml").toString()).exitCode()).isEqualTo(1);
        try (Store store = Store.embedded(dir.resolve(".gantry/db"))) {
            BuildRow b = store.builds().find("hello-failing", 1).orElseThrow();
            assertThat(b.status()).isEqualTo("failed");
            assertThat(b.trigger()).isEqualTo("local");
            assertThat(b.tasks()).extracting(BuildRow.TaskRow::name, BuildRow.TaskRow::status).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("build", "succeeded"),
                    org.assertj.core.groups.Tuple.tuple("test[0]", "succeeded"),
                    org.assertj.core.groups.Tuple.tuple("test[1]", "failed"),
                    org.assertj.core.groups.Tuple.tuple("lint", "succeeded"),
                    org.assertj.core.groups.Tuple.tuple("report", "skipped"));
            assertThat(String.join("", store.logs().read(b.id(), "test[1]", 0, 100)))
                    .contains("assertion failed: expected 200, got 500", "collecting diagnostics for shard 1");
        }
        var list = gantry("builds", dir.resolve("failing.yml").toString());
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).containsPattern("#1 +failed").contains("hello-failing").doesNotContain("INFO");
    }

    @Test
    void failingVariantExitsOneAndShowsDependentsSkipped() throws Exception {
        var r = gantry("run", example("failing.yml").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out())
                .contains("✗ test[1] failed", "exit code 3")
                .contains("○ report skipped: needs test[1], which failed")
                .containsPattern("lint +succeeded")
                .containsPattern("report +skipped +0 +-")
                .contains("collecting diagnostics for shard 1", "ensure runs on shard 1 too")
                .contains("Build #1 failed")
                .contains(".gantry/builds/1/logs/test-1.log");
    }

    @Test
    void jobOptionRunsTheJobAndWhatItNeedsOnly() throws Exception {
        var r = gantry("run", example("gantry.yml").toString(), "--job", "test");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("(4 succeeded)", "✓ build succeeded", "✓ test[2] succeeded").doesNotContain("lint", "flaky");
        var bad = gantry("run", dir.resolve("gantry.yml").toString(), "--job", "tset");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("no job named 'tset' (did you mean 'test'?)");
    }

    @Test
    void jsonPrintsOneEventPerLine() throws Exception {
        var r = gantry("run", example("gantry.yml").toString(), "--json", "--job", "build");
        assertThat(r.exitCode()).isZero();
        ObjectMapper json = new ObjectMapper();
        List<String> kinds = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            JsonNode event = json.readTree(line);
            kinds.add(event.get("event").asText());
            if (event.get("event").asText().equals("TaskFinished")) {
                assertThat(event.get("task").asText()).isEqualTo("build");
                assertThat(event.get("state").asText()).isEqualTo("SUCCEEDED");
                assertThat(event.get("attempts").asInt()).isEqualTo(1);
            }
        }
        assertThat(kinds).contains("TelemetrySampled").endsWith("TelemetrySummarized", "TaskFinished", "BuildFinished");
        assertThat(kinds.stream().filter(k -> !k.startsWith("Telemetry")).toList())
                .startsWith("BuildStarted", "TaskStarted", "AttemptStarted", "StepStarted", "LogLine");
    }

    @Test
    void stepsCallGantryOnThePathToSplitTheirTests() throws Exception {
        Files.writeString(dir.resolve("gantry.yml"), """
                jobs:
                  test:
                    parallelism: 2
                    steps:
                      - run: printf 'A\\nB\\nC\\nD\\n' | gantry tests split --split-by name
                """);
        var r = gantry("run", dir.toString());
        assertThat(r.exitCode()).as(r.out()).isZero();
        assertThat(r.out()).containsPattern("test\\[0\\] +│ A").containsPattern("test\\[0\\] +│ C")
                .containsPattern("test\\[1\\] +│ B").containsPattern("test\\[1\\] +│ D");
    }

    @Test
    void queueModeRunsEveryTestExactlyOnceEvenWhenAShardDiesMidBatch() throws Exception {
        Path done = dir.resolve("done.txt");
        Files.writeString(dir.resolve("gantry.yml"), """
                jobs:
                  test:
                    parallelism: 3
                    steps:
                      - run: |
                          seq 1 12 | sed 's/^/test/' | gantry tests run --queue --batch 2 -- sh -c '
                            if [ "$GANTRY_NODE_INDEX" = 1 ]; then echo "shard 1 dies holding $*"; kill -9 $PPID; sleep 5; fi
                            sleep 0.5; for t in "$@"; do echo "$t" >> %s; done' _ {}
                """.formatted(done));
        var r = gantry("run", dir.toString(), "--concurrency", "3");
        assertThat(r.out()).contains("shard 1 dies holding").containsPattern("test\\[1\\] +failed");
        List<String> ran = Files.readAllLines(done);
        assertThat(ran).hasSize(12).doesNotHaveDuplicates();
        assertThat(r.out()).containsPattern("test\\[0\\] +succeeded").containsPattern("test\\[2\\] +succeeded");
    }

    @Test
    void invalidPipelineIsNotRun() throws Exception {
        Files.writeString(dir.resolve("gantry.yml"), "jobs:\n  a:\n    needs: [a]\n    steps: [{run: touch ran}]\n");
        var r = gantry("run", dir.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("gantry.yml:3:13: jobs.a.needs[0]: job 'a' needs itself", "1 error");
        assertThat(dir.resolve(".gantry")).doesNotExist();
    }
}
