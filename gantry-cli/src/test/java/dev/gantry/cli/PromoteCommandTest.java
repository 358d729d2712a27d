package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.deploy.Release;
import dev.gantry.core.deploy.ReleaseStatus;
import dev.gantry.engine.scheduler.EngineSettings;
import dev.gantry.server.GantryServer;
import dev.gantry.server.ServerLog;
import dev.gantry.server.ServerSettings;
import dev.gantry.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code gantry deploy ENV --build N} against a real server: the pipeline found by its environment, and the
 * server's refusals said plainly with exit code 2. (A promotion that goes live is DeployActionsTest's, on the API.)
 */
class PromoteCommandTest {

    @TempDir
    Path tmp;

    private static CliFixture.Outcome deploy(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new PromoteCommand()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true)).execute(args);
        return new CliFixture.Outcome(code, out.toString(), err.toString());
    }

    @Test
    void findsThePipelineByItsEnvironmentAndSaysWhatTheServerRefused() {
        Path data = tmp.resolve("data");
        ServerSettings settings = new ServerSettings(data, "127.0.0.1", 0, 1, Map.of("gpu", 0),
                new EngineSettings(1, false, Map.of("PATH", System.getenv("PATH")), Clock.systemUTC()),
                Duration.ofHours(1));
        try (Store store = Store.embedded(data.resolve("db"));
             GantryServer server = GantryServer.start(store, settings,
                     new ServerLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                             Clock.systemUTC()))) {
            String base = "http://127.0.0.1:" + server.port();
            var nothing = deploy("production", "--build", "3", "--server", base);
            assertThat(nothing.exitCode()).isEqualTo(2);
            assertThat(nothing.err()).contains("no pipeline on " + base + " has released to production");

            Instant now = Instant.now();
            Release r = store.releases().create(new Release("tts", "staging", 0, 3, "abc", "main", null, "poll",
                    Map.of(), Map.of(), 7860, ReleaseStatus.DEPLOYING, now, null, null, null));
            store.releases().update(r.withStatus(ReleaseStatus.LIVE, now, null));

            var elsewhere = deploy("staging", "--build", "4", "--pipeline", "tts", "--server", base);
            assertThat(elsewhere.exitCode()).isEqualTo(2);
            assertThat(elsewhere.err()).contains("build #4 of tts made no release of staging");

            var wrongEnv = deploy("production", "--build", "3", "--pipeline", "tts", "--server", base);
            assertThat(wrongEnv.exitCode()).isEqualTo(2);
            assertThat(wrongEnv.err()).contains("environment 'production' of pipeline 'tts' has no releases");
        }
    }

    @Test
    void needsTheEnvironmentAndTheBuild() {
        var noBuild = deploy("production", "--server", "http://127.0.0.1:1");
        assertThat(noBuild.exitCode()).isEqualTo(2);
        assertThat(noBuild.err()).contains("say which build's release to deploy: gantry deploy production --build N");
        var nothing = deploy("--build", "3");
        assertThat(nothing.exitCode()).isEqualTo(2);
        assertThat(nothing.err()).contains("say which environment");
    }

    @Test
    void saysWhenTheServerCannotBeReached() {
        var r = deploy("production", "--build", "3", "--pipeline", "tts", "--server", "http://127.0.0.1:1");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.err()).contains("cannot reach the Gantry server");
    }
}
