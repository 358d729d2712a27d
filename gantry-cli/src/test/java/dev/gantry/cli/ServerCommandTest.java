package dev.gantry.cli;

import static dev.gantry.cli.CliFixture.gantry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry server} in its own process, started where {@code gantry run} recorded a build, and
 * {@code gantry pipeline add|list} talking to it; SIGTERM stops it cleanly. The waits are long because a JVM
 * starting on a busy machine is slow; they end as soon as what they wait for is printed.
 */
class ServerCommandTest {

    static final Duration PATIENCE = Duration.ofMinutes(5);

    @TempDir
    Path tmp;

    @Test
    void theServerShowsLocalRunsBuildsAddedPipelinesAndStopsOnSigterm() throws Exception {
        Path repo = tmp.resolve("repo");
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            Files.writeString(repo.resolve("gantry.yml"), "name: hello\njobs:\n  say:\n    steps:\n"
                    + "      - run: echo \"hi ${GANTRY_SECRET_KEY:-no-key} ${GANTRY_DATABASE_PASSWORD:-no-password}\"\n");
            Files.writeString(repo.resolve(".gitignore"), ".gantry/\n");
            git.add().addFilepattern(".").call();
            PersonIdent who = new PersonIdent("Ada", "ada@example.com");
            git.commit().setMessage("hello").setAuthor(who).setCommitter(who).call();
        }
        assertThat(gantry("run", repo.toString(), "--no-color").exitCode()).isZero();

        ProcessBuilder serverCommand = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "server", "--port", "0")
                .directory(repo.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // the server's own credentials, which no step may see
        serverCommand.environment().put("GANTRY_SECRET_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]));
        serverCommand.environment().put("GANTRY_DATABASE_PASSWORD", "db-password-never-shown");
        Process server = serverCommand.start();
        StringBuilder printed = new StringBuilder();
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8))) {
                Pattern listening = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)/");
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (printed) {
                        printed.append(line).append('\n');
                    }
                    Matcher m = listening.matcher(line);
                    if (m.find()) {
                        url.complete(m.group(1));
                    }
                }
            } catch (java.io.IOException e) {
                url.completeExceptionally(e);
            }
        });
        reader.start();
        try {
            String base = url.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            HttpClient http = HttpClient.newHttpClient();
            String local = http.send(HttpRequest.newBuilder(URI.create(base + "/api/builds?pipeline=hello")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(local).contains("\"total\":1", "\"trigger\":\"local\"", "\"status\":\"succeeded\"");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/pipelines/hello/builds/1")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).contains("data-job=\"say\"");

            CliFixture.Outcome added = gantry("pipeline", "add", repo.toString(), "--server", base, "--name", "srv",
                    "--check-every", "1s");
            assertThat(added.exitCode()).as(added.err()).isZero();
            assertThat(added.out()).contains("added srv: " + base + "/pipelines/srv");
            await().atMost(PATIENCE).until(() -> gantry("pipeline", "list", "--server", base).out()
                    .contains("srv  " + repo + "  main  #1 succeeded"));
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/api/pipelines/srv/builds/1/logs/say"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body()).contains("hi no-key no-password");

            CliFixture.Outcome clash = gantry("pipeline", "add", repo.toString(), "--server", base, "--name", "hello");
            assertThat(clash.exitCode()).isEqualTo(ExitCodes.INVALID);
            assertThat(clash.err()).contains("already holds builds named 'hello' (from gantry run)");

            CliFixture.Outcome refused = gantry("pipeline", "add", tmp.resolve("nothing").toString(), "--server", base);
            assertThat(refused.exitCode()).isEqualTo(ExitCodes.INVALID);
            assertThat(refused.err()).contains("no repository at");

            CliFixture.Outcome spin = gantry("pipeline", "add", repo.toString(), "--server", base, "--name", "spin",
                    "--check-every", "1ms");
            assertThat(spin.exitCode()).isEqualTo(ExitCodes.INVALID);
            assertThat(spin.err()).contains("check_every '1ms' is too short");
        } finally {
            server.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
            assertThat(server.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
        }
        assertThat(server.exitValue()).isZero();
        synchronized (printed) {
            assertThat(printed.toString()).contains("build srv #1 succeeded", "stopping");
        }
    }

    @Test
    void anUnreachableServerIsSaidSoAndIsNotInvalidInput() {
        CliFixture.Outcome gone = gantry("pipeline", "list", "--server", "http://127.0.0.1:1");
        assertThat(gone.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(gone.err()).contains("cannot reach the Gantry server at http://127.0.0.1:1: connection refused");
        CliFixture.Outcome malformed = gantry("pipeline", "list", "--server", "127.0.0.1:8080");
        assertThat(malformed.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(malformed.err()).contains("invalid --server '127.0.0.1:8080'");
    }

    @Test
    void badHousekeepingOptionsAreRefusedBeforeAnythingStarts() {
        for (String[] args : List.of(new String[]{"--keep-builds", "0"}, new String[]{"--keep-days", "-3"},
                new String[]{"--min-free", "lots"}, new String[]{"--log-format", "xml"})) {
            CliFixture.Outcome outcome = gantry(java.util.stream.Stream.concat(java.util.stream.Stream.of("server",
                    "--data-dir", tmp.resolve("data").toString()), java.util.Arrays.stream(args)).toArray(String[]::new));
            assertThat(outcome.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.INVALID);
            assertThat(outcome.err()).contains(args[0] + " " + args[1]).doesNotContain("\tat ");
        }
        assertThat(tmp.resolve("data")).as("nothing was started").doesNotExist();
    }

    @Test
    void aServerWhosePortIsTakenSaysSoExitsAndLeavesNoThread() throws Exception {
        java.util.function.Supplier<java.util.Set<Thread>> serverThreads = () -> Thread.getAllStackTraces().keySet()
                .stream().filter(Thread::isAlive).filter(t -> t.getName().startsWith("gantry-")
                        || t.getName().contains("Jetty") || t.getName().startsWith("qtp"))
                .collect(java.util.stream.Collectors.toSet());
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.util.Set<Thread> before = serverThreads.get();
            CliFixture.Outcome outcome = gantry("server", "--port", Integer.toString(taken.getLocalPort()),
                    "--data-dir", tmp.resolve("data").toString());
            assertThat(outcome.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(outcome.err()).contains("gantry: cannot listen on 127.0.0.1:" + taken.getLocalPort(),
                    "--port").doesNotContain("\tat ");
            assertThat(outcome.out()).doesNotContain("listening");
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(serverThreads.get()).isSubsetOf(before));
        }
    }
}
