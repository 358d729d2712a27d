package dev.gantry.engine.step;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.run.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactsStepTest {

    @TempDir
    Path dir;

    @Test
    void onFailureKeepsFilesWithTheBuildAndTheRecordListsThem() throws Exception {
        var r = new BuildFixture(dir).run("""
                jobs:
                  e2e:
                    steps:
                      - run: mkdir -p out/deep logs && echo wav > out/a.wav && echo x > out/deep/b.txt && echo log > logs/service.log
                      - run: exit 1
                    on_failure:
                      - artifacts: {paths: [out/, logs/*.log, missing/*.txt], name: failure}
                """);
        assertThat(r.task("e2e").state()).isEqualTo(TaskState.FAILED);
        assertThat(r.task("e2e").reason()).isEqualTo("exit code 1");
        Path kept = dir.resolve(".gantry/builds/1/artifacts/e2e/failure");
        assertThat(kept.resolve("out/a.wav")).hasContent("wav");
        assertThat(kept.resolve("out/deep/b.txt")).hasContent("x");
        assertThat(kept.resolve("logs/service.log")).hasContent("log");
        assertThat(r.output("e2e")).contains("kept 3 files (10 B) as artifact 'failure'");
        JsonNode record = new ObjectMapper().readTree(dir.resolve(".gantry/builds/1/build.json").toFile());
        assertThat(record.at("/artifacts/0/name").asText()).isEqualTo("failure");
        assertThat(record.at("/artifacts/0/path").asText()).isEqualTo("artifacts/e2e/failure");
        assertThat(record.at("/artifacts/0/files").asInt()).isEqualTo(3);
    }

    @Test
    void nothingToKeepIsSaidButDoesNotFail() {
        var r = new BuildFixture(dir).run("""
                jobs:
                  t:
                    steps:
                      - artifacts: reports/*.xml
                """);
        assertThat(r.task("t").state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(r.output("t")).containsExactly("no files matched reports/*.xml; nothing kept");
    }

    @Test
    void linksLeadingOutOfTheWorkingCopyAreNotFollowed() throws Exception {
        Path secret = Files.createTempFile("gantry-secret", ".txt");
        Files.writeString(secret, "secret");
        var r = new BuildFixture(dir).run("""
                jobs:
                  t:
                    steps:
                      - run: mkdir -p out && ln -s %s out/leak.txt && echo ok > out/fine.txt
                      - artifacts: out/*.txt
                """.formatted(secret));
        assertThat(r.task("t").state()).isEqualTo(TaskState.SUCCEEDED);
        Path kept = dir.resolve(".gantry/builds/1/artifacts/t/artifacts/out");
        assertThat(kept.resolve("fine.txt")).exists();
        assertThat(kept.resolve("leak.txt")).doesNotExist();
        Files.delete(secret);
    }

    @Test
    void aDoubleStarGlobAlsoKeepsFilesDirectlyInItsDirectory() {
        var r = new BuildFixture(dir).run("""
                jobs:
                  t:
                    steps:
                      - run: mkdir -p out/deep && echo a > out/a.wav && echo b > out/deep/b.wav
                      - artifacts: {paths: "out/**/*.wav", name: wavs}
                """);
        Path kept = dir.resolve(".gantry/builds/1/artifacts/t/wavs");
        assertThat(kept.resolve("out/a.wav")).hasContent("a");
        assertThat(kept.resolve("out/deep/b.wav")).hasContent("b");
    }
}
