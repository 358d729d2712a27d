package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures that are nobody's input: exit codes and what a dying thread prints. */
class ErrorHandlingTest {

    @TempDir
    Path dir;

    private Thread.UncaughtExceptionHandler before;

    @BeforeEach
    void remember() {
        before = Thread.getDefaultUncaughtExceptionHandler();
    }

    @AfterEach
    void restore() {
        Thread.setDefaultUncaughtExceptionHandler(before);
    }

    @Test
    void anIoFailureInTheMiddleOfARunExitsOneNotTwo() throws Exception {
        Files.writeString(dir.resolve("gantry.yml"), "jobs:\n  a:\n    steps: [{run: echo hi}]\n");
        Files.writeString(dir.resolve(".gantry"), "a file where gantry keeps its state directory");
        var r = CliFixture.gantry("run", dir.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).startsWith("gantry: the run failed: ").doesNotContain("\tat ");
    }

    @Test
    void aMissingPipelineIsStillInvalidInput() {
        var r = CliFixture.gantry("run", dir.resolve("nowhere.yml").toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID);
    }

    private String dieInAThread(Map<String, String> env) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main main = new Main(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, false);
        main.execute("--version");
        Thread t = new Thread(() -> {
            throw new IllegalStateException("the poller lost its database");
        }, "gantry-poller");
        t.start();
        t.join();
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aThreadThatDiesPrintsOneLineNotAStackTrace() throws Exception {
        String err = dieInAThread(Map.of());
        assertThat(err).isEqualTo("gantry: internal error in thread gantry-poller: the poller lost its database"
                + System.lineSeparator());
    }

    @Test
    void gantryDebugAddsTheStackTrace() throws Exception {
        String err = dieInAThread(Map.of("GANTRY_DEBUG", "1"));
        assertThat(err).startsWith("gantry: internal error in thread gantry-poller: the poller lost its database")
                .contains("\tat ").contains("IllegalStateException");
    }
}
