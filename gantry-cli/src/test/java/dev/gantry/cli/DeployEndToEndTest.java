package dev.gantry.cli;

import static dev.gantry.cli.CliFixture.gantry;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.deploy.LaunchRecord;
import dev.gantry.engine.deploy.ReleaseProcesses;
import dev.gantry.engine.service.PortAllocator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry run} deploys a pipeline's release from its YAML, then {@code gantry deploy status}, {@code gantry
 * rollback --to}, {@code gantry releases} and {@code gantry deploy stop} work on what it left running.
 */
class DeployEndToEndTest {

    private static final String SERVE = """
            import com.sun.net.httpserver.HttpServer;
            import java.net.InetSocketAddress;
            import java.nio.file.Files;
            import java.nio.file.Path;

            public class Serve {
                public static void main(String[] args) throws Exception {
                    byte[] name = Files.readString(Path.of("name.txt")).trim().getBytes();
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

    private final String pipeline = "e2e-deploy-" + UUID.randomUUID().toString().substring(0, 8);
    private final int port = PortAllocator.allocate();
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void stopEveryRelease() throws IOException {
        Path releases = dir.resolve(".gantry/environments").resolve(pipeline).resolve("staging/releases");
        if (!Files.isDirectory(releases)) {
            return;
        }
        try (Stream<Path> s = Files.list(releases)) {
            for (Path rd : s.filter(p -> Files.exists(p.resolve("release.json"))).toList()) {
                LaunchRecord r = LaunchRecord.read(rd);
                ReleaseProcesses.stop(r);
                assertThat(ReleaseProcesses.pids(r)).isEmpty();
            }
        }
    }

    private void write() throws IOException {
        Files.writeString(dir.resolve("Serve.java"), SERVE);
        Files.writeString(dir.resolve("gantry.yml"), """
                name: %s
                environments:
                  staging: {}
                jobs:
                  ship:
                    steps:
                      - run: echo "build $GANTRY_BUILD" > name.txt
                    deploy:
                      environment: staging
                      release: {files: [Serve.java, name.txt]}
                      service:
                        command: %s {{ release_dir }}/Serve.java {{ port }}
                        port: %d
                        ready: {http: {path: /}}
                        stop: {grace_period: 5s}
                      gate:
                        - run: curl -sf "$GANTRY_RELEASE_URL/" | grep -q build
                """.formatted(pipeline, Path.of(System.getProperty("java.home"), "bin", "java"), port));
    }

    private String stable() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void runDeploysThenStatusRollbackReleasesAndStopWorkOnIt() throws Exception {
        write();
        var first = gantry("run", dir.toString(), "--no-color");
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).contains("deploying release 1 to staging (replace)")
                .contains("release 1 is live in staging")
                .contains("Release 1 of staging keeps running detached; nothing monitors or restarts it");
        assertThat(first.out().lines().filter(l -> l.contains("release 1") && l.contains("(replace)")))
                .as("the deploy's start, said once").hasSize(1);
        assertThat(first.out().lines().filter(l -> l.contains("release 1 is live"))).as("going live, said once")
                .hasSize(1);
        assertThat(first.out()).doesNotContain("waiting for the deploy lock");
        assertThat(stable()).isEqualTo("build 1");
        var second = gantry("run", dir.toString(), "--no-color");
        assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
        assertThat(stable()).isEqualTo("build 2");

        JsonNode status = json.readTree(gantry("deploy", "status", "staging", dir.toString(), "--json").out());
        assertThat(status.get("live").get("number").asInt()).isEqualTo(2);
        assertThat(status.get("live").get("build").asInt()).isEqualTo(2);
        assertThat(status.get("running").asBoolean()).isTrue();
        assertThat(status.get("health").asText()).isEqualTo("healthy");
        assertThat(gantry("deploy", "status", "staging", dir.toString()).out()).contains("staging: release 2")
                .contains("healthy");

        var rollback = gantry("rollback", "staging", dir.toString(), "--to", "1");
        assertThat(rollback.exitCode()).as(rollback.out() + rollback.err()).isZero();
        assertThat(rollback.out()).contains("release 1 is live in staging");
        assertThat(stable()).isEqualTo("build 1");
        JsonNode releases = json.readTree(gantry("releases", "staging", dir.toString(), "--json").out());
        assertThat(releases).hasSize(2);
        assertThat(releases.get(0).get("status").asText()).isEqualTo("rolled_back");
        assertThat(releases.get(1).get("status").asText()).isEqualTo("live");
        assertThat(releases.get(1).get("files").get("name.txt").asText()).startsWith("sha256:");

        var stop = gantry("deploy", "stop", "staging", dir.toString());
        assertThat(stop.exitCode()).as(stop.err()).isZero();
        assertThat(stop.out()).contains("stopped release 1 of staging");
        assertThat(gantry("releases", "staging", dir.toString()).out()).contains("stopped").contains("rolled_back");
        assertThat(gantry("deploy", "status", "staging", dir.toString()).out()).contains("nothing is live in staging");
    }

    @Test
    void aRollbackWithNothingToRollBackToSaysSoWithoutAStackTrace() throws Exception {
        write();
        var first = gantry("run", dir.toString(), "--no-color");
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();

        var r = gantry("rollback", "staging", dir.toString());

        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("no earlier good release of staging").doesNotContain("Exception");
        assertThat(gantry("rollback", "staging", dir.toString(), "--to", "7").err())
                .contains("release 7 of staging does not exist");
    }
}
