package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.scheduler.EngineSettings;
import dev.gantry.server.GantryServer;
import dev.gantry.server.ServerLog;
import dev.gantry.server.ServerSettings;
import dev.gantry.store.SecretCipher;
import dev.gantry.store.SecretVault;
import dev.gantry.store.Store;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gantry secret}: values from standard input, short ones refused before anything is sent. */
class SecretCommandTest {

    @TempDir
    Path tmp;

    private static CliFixture.Outcome gantry(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                Map.of("PATH", System.getenv("PATH")), false).execute(args);
        return new CliFixture.Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void setReadsTheValueFromStandardInputAndListNeverShowsIt() throws Exception {
        Path data = tmp.resolve("data");
        ServerSettings settings = new ServerSettings(data, "127.0.0.1", 0, 1, Map.of("gpu", 0),
                new EngineSettings(1, false, Map.of("PATH", System.getenv("PATH")), Clock.systemUTC()),
                Duration.ofHours(1));
        try (Store store = Store.embedded(data.resolve("db"));
             GantryServer server = GantryServer.start(store, settings,
                     new ServerLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                             Clock.systemUTC()))) {
            String base = "http://127.0.0.1:" + server.port();
            var set = gantry("hf_the-token-value\n", "secret", "set", "hf-token", "--server", base);
            assertThat(set.exitCode()).as(set.err()).isZero();
            assertThat(set.out()).contains("set secret hf-token (global)");
            SecretVault vault = new SecretVault(store.secrets(), SecretCipher.load(data, null));
            assertThat(vault.values(null, List.of("hf-token"))).containsEntry("hf-token", "hf_the-token-value");

            var list = gantry("", "secret", "list", "--server", base);
            assertThat(list.exitCode()).isZero();
            assertThat(list.out()).containsPattern("hf-token +global +updated ").doesNotContain("the-token-value");

            var noPipeline = gantry("another-long-value", "secret", "set", "x", "--pipeline", "nope", "--server", base);
            assertThat(noPipeline.exitCode()).isEqualTo(2);
            assertThat(noPipeline.err()).contains("pipeline 'nope' not found");

            assertThat(gantry("", "secret", "remove", "hf-token", "--server", base).exitCode()).isZero();
            var again = gantry("", "secret", "remove", "hf-token", "--server", base);
            assertThat(again.exitCode()).isEqualTo(2);
            assertThat(again.err()).contains("secret 'hf-token' not found");
        }
    }

    @Test
    void refusesAShortValueBeforeContactingTheServer() {
        var r = gantry("short\n", "secret", "set", "pw", "--server", "http://127.0.0.1:1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("secret 'pw' is shorter than 8 characters").doesNotContain("no server");
    }

    @Test
    void neverTakesTheValueAsAnArgument() {
        var r = gantry("", "secret", "set", "pw", "a-value-on-the-command-line", "--server", "http://127.0.0.1:1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Unmatched argument");
    }
}
