package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.store.BuildRow;
import dev.gantry.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gantry run --secret}: the value reaches the steps and nothing Gantry writes shows it. */
class RunSecretsTest {

    private static final String SECRET = "s3cr3t/\"pass word\"";

    @TempDir
    Path dir;

    private CliFixture.Outcome gantry(Map<String, String> extraEnv, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = new java.util.HashMap<>(extraEnv);
        env.put("PATH", System.getenv("PATH"));
        int code = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, false).execute(args);
        return new CliFixture.Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static final String PIPELINE = """
            name: secrets
            jobs:
              use:
                env:
                  TOKEN: {secret: api-token}
                steps:
                  - run: |
                      test "$TOKEN" = 's3cr3t/"pass word"'
                      echo "plain $TOKEN"
                      printf 'user:%s' "$TOKEN" | base64 -w0; echo
                      printf '%s' "$TOKEN" | sed 's|/|%2F|g; s| |%20|g; s|"|%22|g'; echo
                      printf '{"token":"%s"}\\n' "$(printf '%s' "$TOKEN" | sed 's|["\\\\]|\\\\&|g')"
                      printf '%s' "${TOKEN:0:6}"; sleep 0.2; printf '%s\\n' "${TOKEN:6}"
                      mkdir -p reports
                      printf "<testsuite><testcase name='t'><failure message='got %s'/></testcase></testsuite>" "$TOKEN" > reports/r.xml
                  - test_results: reports/*.xml
            """;

    private List<String> forms() {
        byte[] b = ("user:" + SECRET).getBytes(StandardCharsets.UTF_8);
        return List.of(SECRET, "s3cr3t%2F%22pass%20word%22", "s3cr3t/\\\"pass word\\\"",
                Base64.getEncoder().encodeToString(b).substring(8, 28));
    }

    @Test
    void aSecretFromAFileIsMaskedInTheLogFileTheJsonEventsAndTheStore() throws Exception {
        Files.writeString(dir.resolve("gantry.yml"), PIPELINE);
        Files.writeString(dir.resolve("token.txt"), SECRET + "\n");
        var r = gantry(Map.of(), "run", dir.toString(), "--json", "--secret", "api-token=@" + dir.resolve("token.txt"));
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("plain ***", "{\\\"token\\\":\\\"***\\\"}").contains("got ***");
        List<String> written;
        try (Stream<Path> files = Files.walk(dir.resolve(".gantry/builds"))) {
            written = files.filter(Files::isRegularFile).map(RunSecretsTest::read).toList();
        }
        assertThat(String.join("\n", written)).contains("plain ***");
        try (Store store = Store.embedded(dir.resolve(".gantry/db"))) {
            BuildRow b = store.builds().find("secrets", 1).orElseThrow();
            String log = String.join("", store.logs().read(b.id(), "use", 0, 100));
            assertThat(log).contains("plain ***");
            String results = store.results().tests(b.id()).toString();
            assertThat(results).contains("got ***");
            for (String form : forms()) {
                assertThat(r.out()).as("--json events").doesNotContain(form);
                assertThat(written).as("files under .gantry/builds").noneMatch(f -> f.contains(form));
                assertThat(log).as("log in the store").doesNotContain(form);
                assertThat(results).as("test results in the store").doesNotContain(form);
            }
        }
    }

    @Test
    void aSecretFromTheEnvironmentIsUsedToo() throws Exception {
        Files.writeString(dir.resolve("gantry.yml"), """
                jobs:
                  a:
                    steps:
                      - run:
                          command: test "$T" = long-enough-value && echo "got $T"
                          env: {T: {secret: tok}}
                """);
        var r = gantry(Map.of("MY_TOKEN", "long-enough-value"), "run", dir.toString(), "--secret", "tok=env:MY_TOKEN");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("got ***").doesNotContain("long-enough-value");
    }

    @Test
    void anUnknownSecretIsAnErrorNamingItBeforeAnythingRuns() throws Exception {
        Files.writeString(dir.resolve("gantry.yml"), PIPELINE);
        var r = gantry(Map.of(), "run", dir.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("gantry.yml:5:23: jobs.use.env.TOKEN")
                .contains("unknown secret 'api-token'", "--secret NAME=@FILE");
        assertThat(dir.resolve(".gantry")).doesNotExist();
    }

    @Test
    void refusesASecretTooShortToMaskSayingWhy() throws Exception {
        Files.writeString(dir.resolve("gantry.yml"), PIPELINE);
        var r = gantry(Map.of("SHORT", "1234567"), "run", dir.toString(), "--secret", "api-token=env:SHORT");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("api-token", "shorter than 8 characters").doesNotContain("1234567");
        var inline = gantry(Map.of(), "run", dir.toString(), "--secret", "api-token=plain-value-here");
        assertThat(inline.exitCode()).isEqualTo(2);
        assertThat(inline.err()).contains("NAME=@FILE or NAME=env:VAR").doesNotContain("plain-value-here");
        assertThat(dir.resolve(".gantry")).doesNotExist();
    }

    private static String read(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
