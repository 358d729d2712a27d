package dev.gantry.cli;

import static dev.gantry.cli.CliFixture.gantry;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {

    @TempDir
    Path dir;

    @Test
    void validPipelineExitsZeroAndSaysWhatItFound() {
        var r = gantry("validate", "../examples/hello");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("gantry.yml is valid: pipeline 'hello', 5 jobs, 10 tasks");
    }

    @Test
    void listsEveryErrorWithItsPlaceAndExitsTwoWithoutAStackTrace() throws Exception {
        Files.writeString(dir.resolve("gantry.yml"), """
                jobs:
                  build:
                    timout: 5m
                    steps: [{run: make}]
                  test:
                    needs: [buld]
                    steps:
                      - run: {comand: make test}
                  infer:
                    uses: {gpu: 1}
                    steps: [{run: python infer.py}]
                """);
        var r = gantry("validate", dir.toString(), "--pool", "gpu=0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(
                "gantry.yml:3:5: jobs.build.timout: unknown key 'timout' (did you mean 'timeout'?)",
                "gantry.yml:6:13: jobs.test.needs[0]: unknown job 'buld' in needs (did you mean 'build'?)",
                "gantry.yml:8:15: jobs.test.steps[0].run.comand: unknown key 'comand' (did you mean 'command'?)",
                "jobs.infer.uses.gpu: job 'infer' uses gpu: 1 but the executor offers only 0",
                "4 errors");
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void offeredPoolMakesAPipelineValid() throws Exception {
        Files.writeString(dir.resolve("gantry.yml"), "jobs:\n  t:\n    uses: {tts-slot: 2}\n    steps: [{run: x}]\n");
        assertThat(gantry("validate", dir.toString()).exitCode()).isEqualTo(2);
        assertThat(gantry("validate", dir.toString(), "--pool", "tts-slot=2").exitCode()).isZero();
    }

    @Test
    void missingFileAndBadOptionsAreInvalidInput() {
        var missing = gantry("validate", dir.resolve("nope").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("nope: no such file or directory");
        var emptyDir = gantry("validate", dir.toString());
        assertThat(emptyDir.exitCode()).isEqualTo(2);
        assertThat(emptyDir.err()).contains("no gantry.yml in this directory");
        var badOption = gantry("validate", "--bogus");
        assertThat(badOption.exitCode()).isEqualTo(2);
        assertThat(badOption.err()).contains("Unknown option: '--bogus'");
    }

    @Test
    void deeplyNestedPipelineIsOneLocatedErrorForValidateAndRunWithoutAStackTrace() throws Exception {
        Files.writeString(dir.resolve("gantry.yml"), "jobs:\n  build:\n    steps:\n      - run: "
                + "[".repeat(2000) + "]".repeat(2000) + "\n");
        for (String command : new String[] {"validate", "run"}) {
            var r = gantry(command, dir.toString());
            assertThat(r.exitCode()).as(command).isEqualTo(2);
            assertThat(r.err().lines()).as(command).containsExactly(
                    dir.resolve("gantry.yml") + ":4:73: nested more than 64 levels deep: a pipeline needs far fewer", "1 error");
        }
    }

    @Test
    void pipelineOverTheSizeLimitIsRefusedUpFront() throws Exception {
        Files.writeString(dir.resolve("gantry.yml"), "jobs:\n  build:\n    steps:\n      - run: echo\n"
                + ("#" + "x".repeat(1023) + "\n").repeat(1024));
        var r = gantry("validate", dir.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly(
                dir.resolve("gantry.yml") + ": the file is " + Files.size(dir.resolve("gantry.yml"))
                        + " bytes; a pipeline file may be at most 1 MiB (1048576 bytes)",
                "1 error");
    }

    @Test
    void invalidUtf8IsALocatedError() throws Exception {
        byte[] head = "jobs:\n  build:\n    steps:\n      - run: echo ".getBytes(StandardCharsets.UTF_8);
        byte[] content = java.util.Arrays.copyOf(head, head.length + 2);
        content[head.length] = (byte) 0xc0;
        content[head.length + 1] = '\n';
        Files.write(dir.resolve("gantry.yml"), content);
        var r = gantry("validate", dir.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly(
                dir.resolve("gantry.yml") + ":4:19: invalid UTF-8 (byte 0xC0 at offset 44): save the file as UTF-8", "1 error");
    }
}
