package dev.gantry.cli;

import static dev.gantry.cli.CliFixture.gantry;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.core.deploy.Release;
import dev.gantry.core.deploy.ReleaseStatus;
import dev.gantry.core.pipeline.ProbeDef;
import dev.gantry.engine.deploy.Deployments;
import dev.gantry.engine.local.LocalBuild;
import dev.gantry.engine.deploy.LaunchRecord;
import dev.gantry.engine.deploy.ReleaseProcesses;
import dev.gantry.engine.service.PortAllocator;
import dev.gantry.store.Store;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry deploy status|stop}, {@code gantry rollback} and {@code gantry releases} end to end, on releases
 * laid out as a deploy leaves them (directories with {@code release.json}, history in the embedded store) whose
 * processes are real HTTP servers.
 */
class DeployCommandsTest {

    private static final String SERVE = """
            import com.sun.net.httpserver.HttpServer;
            import java.net.InetSocketAddress;
            import java.nio.file.Files;
            import java.nio.file.Path;

            public class Serve {
                public static void main(String[] args) throws Exception {
                    byte[] name = Files.readAllBytes(Path.of("name.txt"));
                    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 16);
                    s.createContext("/", ex -> {
                        ex.sendResponseHeaders(200, name.length);
                        ex.getResponseBody().write(name);
                        ex.close();
                    });
                    s.start();
                }
            }
            """;

    @TempDir
    Path dir;

    private final String pipeline = "cli-deploy-" + UUID.randomUUID().toString().substring(0, 8);
    private final int port = PortAllocator.allocate();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private Path file;

    @BeforeEach
    void twoReleasesTheSecondLive() throws Exception {
        file = dir.resolve("gantry.yml");
        Files.writeString(file, "name: " + pipeline + "\njobs:\n  build:\n    steps:\n      - run: echo hi\n");
        try (Store store = Store.embedded(dir.resolve(".gantry/db"))) {
            Deployments d = new Deployments(LocalBuild.environmentsDirectory(file), store.releases(), Clock.systemUTC(),
                    System.getenv());
            Instant t = Instant.now();
            for (int n = 1; n <= 2; n++) {
                ReleaseStatus status = n == 2 ? ReleaseStatus.LIVE : ReleaseStatus.SUPERSEDED;
                Release r = store.releases().create(new Release(pipeline, "staging", 0, n, "c0ffee" + n, "main",
                        null, "local", Map.of(), Map.of(), port, status, t, t, n == 2 ? null : t, null));
                Path rd = d.releaseDirectory(r);
                Files.createDirectories(rd);
                Files.writeString(rd.resolve("Serve.java"), SERVE);
                Files.writeString(rd.resolve("name.txt"), "r" + n);
                ProbeDef ready = new ProbeDef(ProbeDef.Kind.HTTP, new ProbeDef.HttpCheck("/", "GET", null, 200, 299,
                        Map.of()), 0, null, null, Duration.ZERO, ProbeDef.PERIOD, ProbeDef.TIMEOUT, 1, 3,
                        Duration.ofSeconds(60));
                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                new LaunchRecord(pipeline + "/staging/" + n + "/" + UUID.randomUUID(), pipeline, "staging", n,
                        java + " Serve.java {{ port }}", java + " Serve.java " + port,
                        List.of("bash", "-eo", "pipefail", "-c"), Map.of("PATH", System.getenv("PATH")), null,
                        "replace", port, port, "TERM", Duration.ofSeconds(5), ready, null).write(rd);
            }
            d.startAgain(store.releases().find(pipeline, "staging", 2).orElseThrow());
        }
    }

    @AfterEach
    void stopEveryRelease() throws IOException {
        for (int n = 1; n <= 2; n++) {
            Path rd = dir.resolve(".gantry/environments").resolve(pipeline).resolve("staging/releases/" + n);
            LaunchRecord r = LaunchRecord.read(rd);
            ReleaseProcesses.stop(r);
            assertThat(ReleaseProcesses.pids(r)).isEmpty();
        }
    }

    private String stable() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void statusShowsTheLiveReleaseRunningAndHealthy() throws Exception {
        var text = gantry("deploy", "status", "staging", dir.toString());
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("staging: release 2").contains("healthy").contains("port:    " + port)
                .contains("monitor: none under gantry run");

        var r = gantry("deploy", "status", "staging", dir.toString(), "--json");
        JsonNode s = json.readTree(r.out());
        assertThat(s.get("live").get("number").asInt()).isEqualTo(2);
        assertThat(s.get("running").asBoolean()).isTrue();
        assertThat(s.get("health").asText()).isEqualTo("healthy");
        assertThat(s.get("port").asInt()).isEqualTo(port);
    }

    @Test
    void rollbackToAnEarlierReleasePutsItBackAndMarksTheLiveOneRolledBack() throws Exception {
        assertThat(stable()).isEqualTo("r2");

        var r = gantry("rollback", "staging", dir.toString(), "--to", "1");

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("release 1 is live in staging");
        assertThat(stable()).isEqualTo("r1");
        JsonNode releases = json.readTree(gantry("releases", "staging", dir.toString(), "--json").out());
        assertThat(releases.get(0).get("number").asInt()).isEqualTo(2);
        assertThat(releases.get(0).get("status").asText()).isEqualTo("rolled_back");
        assertThat(releases.get(1).get("status").asText()).isEqualTo("live");
        assertThat(gantry("releases", "staging", dir.toString()).out()).contains("rolled_back").contains("live");
    }

    @Test
    void stopEndsTheLiveReleaseAndRecordsItStopped() throws Exception {
        var r = gantry("deploy", "stop", "staging", dir.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("stopped release 2 of staging");
        JsonNode releases = json.readTree(gantry("releases", "staging", dir.toString(), "--json").out());
        assertThat(releases.get(0).get("status").asText()).isEqualTo("stopped");
        assertThat(gantry("deploy", "status", "staging", dir.toString()).out())
                .contains("nothing is live in staging");
        var again = gantry("deploy", "stop", "staging", dir.toString());
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.err()).contains("nothing is live in staging").doesNotContain("Exception");
    }

    @Test
    void rollingBackTwiceGoesFurtherBackNeverForwardToTheReleaseRolledBack() throws Exception {
        var first = gantry("rollback", "staging", dir.toString());
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(stable()).isEqualTo("r1");

        var again = gantry("rollback", "staging", dir.toString());

        assertThat(again.exitCode()).isNotZero();
        assertThat(again.err()).contains("no earlier good release of staging").contains("release 1 still serves")
                .doesNotContain("Exception");
        assertThat(stable()).isEqualTo("r1");
    }

    @Test
    void rollbackRefusesAFailedRelease() throws Exception {
        try (Store store = Store.embedded(dir.resolve(".gantry/db"))) {
            Instant t = Instant.now();
            store.releases().create(new Release(pipeline, "staging", 0, 3, "c0ffee3", "main", null, "local",
                    Map.of(), Map.of(), port, ReleaseStatus.FAILED, t, null, t, "the gate failed"));
        }

        var r = gantry("rollback", "staging", dir.toString(), "--to", "3");

        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("release 3 of staging is failed and never went live")
                .contains("release 2 still serves").doesNotContain("Exception");
        assertThat(stable()).isEqualTo("r2");
    }

    @Test
    void anEnvironmentNeitherDeclaredNorDeployedIsAnError() throws Exception {
        for (String[] command : List.of(new String[] {"releases", "prodution"},
                new String[] {"deploy", "status", "prodution"}, new String[] {"rollback", "prodution"})) {
            String[] args = java.util.Arrays.copyOf(command, command.length + 1);
            args[command.length] = dir.toString();
            var r = gantry(args);
            assertThat(r.exitCode()).as(String.join(" ", command)).isNotZero();
            assertThat(r.err()).contains("unknown environment 'prodution'").contains("gantry.yml declares no"
                    + " environments").doesNotContain("Exception");
        }
    }

    @Test
    void rollbackRefusesAGateThatNeedsASecretItCannotReadAndChangesNothing() throws Exception {
        Path release1 = dir.resolve(".gantry/environments").resolve(pipeline).resolve("staging/releases/1");
        Files.writeString(release1.resolve(Deployments.PIPELINE_COPY), """
                name: %s
                environments:
                  staging: {}
                jobs:
                  ship:
                    steps:
                      - run: echo hi
                    deploy:
                      environment: staging
                      release: {files: [name.txt]}
                      service:
                        command: java Serve.java {{ port }}
                        port: %d
                      gate:
                        - run:
                            command: test -n "$TOKEN"
                            env: {TOKEN: {secret: gate-token}}
                """.formatted(pipeline, port));

        var r = gantry("rollback", "staging", dir.toString(), "--to", "1");

        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("uses secret 'gate-token'").contains("nothing was changed, release 2 still"
                + " serves").doesNotContain("internal error").doesNotContain("Exception");
        assertThat(stable()).isEqualTo("r2");
        JsonNode releases = json.readTree(gantry("releases", "staging", dir.toString(), "--json").out());
        assertThat(releases.get(0).get("status").asText()).isEqualTo("live");
        assertThat(releases.get(1).get("status").asText()).isEqualTo("superseded");
    }
}
