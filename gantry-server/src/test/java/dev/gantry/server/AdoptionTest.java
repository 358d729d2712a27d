package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed with SIGKILL while a release it deployed is live: the release keeps answering throughout, and the
 * next server adopts it (the same process, never a second copy, never a restart); a release that died meanwhile is
 * started again by the next server.
 */
class AdoptionTest {

    static final Duration LONG = Duration.ofSeconds(90);

    @TempDir
    Path tmp;
    Process child;
    Path data;

    @AfterEach
    void stop() throws Exception {
        if (child != null) {
            child.destroyForcibly().waitFor();
        }
        if (data != null) {
            DeployedReleases.stopAll(data);
        }
    }

    @Test
    void aReleaseOutlivesItsKilledServerAndIsAdoptedThenStartedAgainIfItDied() throws Exception {
        int port = DeployedReleases.freePort();
        data = tmp.resolve("data");
        Files.createDirectories(data);
        try (HookReceiver hooks = new HookReceiver(); GitRepo repo = new GitRepo(tmp.resolve("repo"))) {
            repo.commit("gantry.yml", DeployedReleases.pipeline(port, tmp.resolve("unhealthy"), "{max: 3, within: 10m}",
                    "alert", hooks), "Deploy");
            child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), ServerMain.class.getName(), data.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
            await().atMost(LONG).until(() -> Files.exists(data.resolve("port")));
            String base = "http://127.0.0.1:" + Files.readString(data.resolve("port")).trim();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> added = http.send(HttpRequest.newBuilder(URI.create(base + "/api/pipelines"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"repository\":\"" + repo.dir()
                            + "\",\"name\":\"tts\",\"check_every\":\"1h\"}"))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            await().atMost(LONG).pollInterval(Duration.ofMillis(200)).until(() -> {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base
                        + "/api/pipelines/tts/environments/production")).build(), HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 && ServerFixture.JSON.readTree(r.body()).path("live").path("number")
                        .asInt() == 1;
            });
            // the build that deployed it has ended too: a server killed mid-build would build it again on restart
            await().atMost(LONG).pollInterval(Duration.ofMillis(200)).until(() -> {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base
                        + "/api/pipelines/tts/builds")).build(), HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 && ServerFixture.JSON.readTree(r.body()).path("builds").path(0)
                        .path("status").asText().equals("succeeded");
            });
            long pid = DeployedReleases.pid(port);
            assertThat(pid).isPositive();

            AtomicBoolean watching = new AtomicBoolean(true);
            AtomicInteger answers = new AtomicInteger();
            AtomicInteger failures = new AtomicInteger();
            Set<Long> pids = ConcurrentHashMap.newKeySet();
            Thread load = new Thread(() -> {
                while (watching.get()) {
                    long p = DeployedReleases.pid(port);
                    if (p > 0) {
                        pids.add(p);
                        answers.incrementAndGet();
                    } else {
                        failures.incrementAndGet();
                    }
                }
            });
            load.start();
            try {
                child.destroyForcibly().waitFor();
                child = null;
                try (ServerFixture server = new ServerFixture(data)) {
                    try {
                        await().atMost(LONG).until(() -> server.log().contains(
                                "tts/production release 1 is running: supervising it"));
                    } catch (org.awaitility.core.ConditionTimeoutException e) {
                        throw new AssertionError("release 1 was not adopted; the restarted server's log:\n"
                                + server.log() + "\nthe killed server's log:\n"
                                + Files.readString(tmp.resolve("child.log")), e);
                    }
                    // adopted and watched: its monitor has probed it since
                    await().atMost(LONG).until(() -> server.get("/api/pipelines/tts/environments/production").json()
                            .path("health").path("state").asText().equals("passing"));
                    int before = answers.get();
                    await().atMost(LONG).until(() -> answers.get() > before + 20);
                    assertThat(server.log()).doesNotContain("starting it again").doesNotContain("started again");
                }
            } finally {
                watching.set(false);
                load.join();
            }
            assertThat(failures.get()).as("requests that found no release while its server was down and restarted")
                    .isZero();
            assertThat(pids).as("one process served throughout: adopted, not restarted").containsExactly(pid);
            assertThat(DeployedReleases.processes(port)).as("never a second copy").isEqualTo(1);

            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            await().atMost(LONG).until(() -> DeployedReleases.pid(port) == -1);
            try (ServerFixture server = new ServerFixture(data)) {
                await().atMost(LONG).pollInterval(Duration.ofMillis(200)).until(() -> {
                    long p = DeployedReleases.pid(port);
                    return p > 0 && p != pid;
                });
                assertThat(server.log()).contains("tts/production release 1 is not running; starting it again");
                JsonNode env = server.get("/api/pipelines/tts/environments/production").json();
                assertThat(env.path("live").path("number").asInt()).isEqualTo(1);
            }
        }
    }
}
