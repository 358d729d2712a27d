package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.process.ProcessTree;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server killed with SIGKILL in the middle of a build, then started again on the same data directory. */
class RecoveryTest {

    @TempDir
    Path tmp;

    @Test
    void afterAKillMidBuildTheBuildIsMarkedInterruptedItsLogsStayAndPollingResumes() throws Exception {
        GitRepo repo = new GitRepo(tmp.resolve("repo"));
        repo.commit("gantry.yml", """
                jobs:
                  long:
                    steps:
                      # ignores SIGPIPE and failed writes, as a service logging elsewhere would, so it outlives its
                      # server's output pipe (the shell runs with -e)
                      - run: trap '' PIPE; for i in $(seq 1 600); do echo "line $i" 2>/dev/null || true; sleep 0.05; done
                  after:
                    needs: [long]
                    steps:
                      - run: echo never
                """, "A long build");
        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ServerMain.class.getName(), data.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        String buildId;
        List<String> seenBeforeKill;
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(data.resolve("port")));
            String base = "http://127.0.0.1:" + Files.readString(data.resolve("port")).trim();
            HttpResponse<String> added = http.send(HttpRequest.newBuilder(URI.create(base + "/api/pipelines"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"repository\":\"" + repo.dir()
                            + "\",\"name\":\"long\",\"check_every\":\"1s\"}"))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            JsonNode[] log = new JsonNode[1];
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base
                        + "/api/pipelines/long/builds/1/logs/long?limit=10000")).build(), HttpResponse.BodyHandlers.ofString());
                log[0] = r.statusCode() == 200 ? json.readTree(r.body()) : null;
                return log[0] != null && log[0].path("lines").size() >= 20;
            });
            seenBeforeKill = new ArrayList<>();
            log[0].path("lines").forEach(l -> seenBeforeKill.add(l.asText()));
            buildId = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/pipelines/long/builds/1"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body()).path("build").path("id").asText();
            assertThat(ProcessTree.find(ProcessTree.Selector.marker("GANTRY_BUILD_ID", buildId))).isNotEmpty();
        } finally {
            child.destroyForcibly().waitFor();
        }
        assertThat(ProcessTree.find(ProcessTree.Selector.marker("GANTRY_BUILD_ID", buildId)))
                .as("the build's step survives its server's SIGKILL (it runs in its own session)").isNotEmpty();

        // what a viewer could have seen: every line the killed server had printed to the task's log file
        List<String> onDisk = Files.readAllLines(data.resolve("builds").resolve(buildId).resolve("logs")
                .resolve("long.log")).stream().filter(l -> !dev.gantry.engine.record.BuildRecorder.isMarker(l))
                .toList();
        try (dev.gantry.store.Store store = dev.gantry.store.Store.embedded(data.resolve("db"))) {
            // a gantry run in progress in the same directory: not the server's to settle
            store.builds().save(new dev.gantry.store.BuildRow("local-1", "laptop", 1, "gantry.yml", "d", null, null,
                    null, null, null, "local", "running", java.time.Instant.now(), null, List.of()));
            // a batch step the killed server's build was running (as its recorder left it)
            store.batches().save(buildId, new dev.gantry.store.BatchRow("long", "batch", "running", 100, 40, 39, 1, 0,
                    2, 4000, 10, 6000L, 5.0, 9.0, 12.0, List.of(), null, null, java.time.Instant.now()));
        }
        try (ServerFixture server = new ServerFixture(data)) {
            assertThat(server.get("/api/builds?pipeline=laptop").json().path("builds").get(0).path("status").asText())
                    .isEqualTo("running");
            JsonNode b = server.get("/api/pipelines/long/builds/1").json().path("build");
            assertThat(b.path("status").asText()).isEqualTo("errored");
            assertThat(b.path("finished_at").isNull()).isFalse();
            JsonNode tasks = b.path("tasks");
            assertThat(tasks.get(0).path("status").asText()).isEqualTo("errored");
            assertThat(tasks.get(0).path("reason").asText()).contains("interrupted");
            assertThat(tasks.get(1).path("status").asText()).isEqualTo("cancelled");
            JsonNode batch = server.get("/api/pipelines/long/builds/1").json().path("batches").get(0);
            assertThat(batch.path("state").asText()).as("no batch is left running").isEqualTo("stopped");
            assertThat(batch.path("failure").asText()).contains("interrupted");
            assertThat(batch.path("done").asLong()).isEqualTo(40);
            assertThat(batch.path("eta_ms").isNull()).isTrue();
            assertThat(ProcessTree.find(ProcessTree.Selector.marker("GANTRY_BUILD_ID", buildId)))
                    .as("a restarted server stops what its killed predecessor left running").isEmpty();
            List<String> after = new ArrayList<>();
            server.get("/api/pipelines/long/builds/1/logs/long?limit=10000").json().path("lines")
                    .forEach(l -> after.add(l.asText()));
            assertThat(after).startsWith(seenBeforeKill.toArray(String[]::new));
            assertThat(after).as("no line that reached the log file is lost").startsWith(onDisk.toArray(String[]::new));
            assertThat(server.get("/api/pipelines/long/builds/1").json().path("steps").path("long")
                    .findValuesAsText("status")).isNotEmpty()
                    .as("no step is left running").doesNotContain("running");

            String sha = repo.commit("gantry.yml", "jobs:\n  quick:\n    steps:\n      - run: echo quick\n", "Quick");
            JsonNode next = server.awaitBuild("long", 2, Duration.ofSeconds(60));
            assertThat(next.path("build").path("commit").asText()).isEqualTo(sha);
            assertThat(next.path("build").path("status").asText()).isEqualTo("succeeded");
        } finally {
            repo.close();
        }
    }
}
