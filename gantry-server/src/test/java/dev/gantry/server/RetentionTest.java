package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.core.pipeline.Retention;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention on a real server with real builds of a git repository: past the pipeline's {@code retention}, a build's
 * logs, artifacts and telemetry go from the store and the disk while its record, steps and tests stay; a pinned
 * build and the build behind a live release keep theirs; unpinning lets a build go at the next sweep; a pipeline
 * that says nothing follows the server's {@code --keep-builds}. The order of events is read from the builds' own
 * records (a sweep runs after each build ends), never from the clock.
 */
class RetentionTest {

    private static final Duration LONG = Duration.ofMinutes(2);

    @TempDir
    Path tmp;
    private ServerFixture server;
    private GitRepo repo;
    private HookReceiver hooks;

    @AfterEach
    void stop() {
        try {
            if (server != null) {
                server.close();
                DeployedReleases.stopAll(server.dataDir);
            }
        } finally {
            if (hooks != null) {
                hooks.close();
            }
            if (repo != null) {
                repo.close();
            }
        }
    }

    /** A pipeline whose job logs, keeps an artifact and a test report, and declares {@code retention}. */
    private static String hello(String retention) {
        return "name: tts\n" + retention + """
                jobs:
                  hello:
                    steps:
                      - run: |
                          echo hello from the build
                          mkdir -p out reports
                          head -c 200000 /dev/urandom > out/model.bin
                          printf '<testsuite name="s"><testcase classname="a.B" name="speaks" time="0.5"/></testsuite>' > reports/TEST-a.xml
                      - artifacts: {paths: [out/model.bin], name: model}
                      - test_results: reports/*.xml
                """;
    }

    private JsonNode build(long number) {
        return server.get("/api/pipelines/tts/builds/" + number).json();
    }

    private boolean pruned(long number) {
        return !build(number).path("pruned_at").isNull();
    }

    private JsonNode trigger(long number) {
        assertThat(server.post("/api/pipelines/tts/builds", "").status()).isEqualTo(201);
        JsonNode b = server.awaitBuild("tts", number, LONG);
        assertThat(b.path("build").path("status").asText()).as("build #%d", number).isEqualTo("succeeded");
        return b;
    }

    private String logOf(long number, String task) {
        return server.get("/api/pipelines/tts/builds/" + number + "/logs/" + task).json().path("lines").toString();
    }

    private Path artifactsOf(long number) {
        return server.dataDir.resolve("builds").resolve(build(number).path("build").path("id").asText())
                .resolve("artifacts");
    }

    @Test
    void keepsPinnedBuildsAndTheLiveReleasesBuildAndRemovesTheRestPastTheLimit() throws Exception {
        hooks = new HookReceiver();
        int port = DeployedReleases.freePort();
        repo = new GitRepo(tmp.resolve("repo"));
        String deploy = DeployedReleases.pipeline(port, tmp.resolve("unhealthy"), "{max: 3, within: 10m}", "alert",
                hooks).replace("name: tts\n", "name: tts\nretention: {builds: 1}\n");
        repo.commit("gantry.yml", deploy, "Deploy release 1");
        // the server would keep 5; the pipeline's own limit (1) wins
        server = new ServerFixture(ServerFixture.settings(tmp.resolve("data"), 1, 0)
                .withKeep(new Retention(5, null)));
        server.addPipeline(repo.dir(), "tts", "1h", null);
        assertThat(server.awaitBuild("tts", 1, LONG).path("build").path("status").asText()).isEqualTo("succeeded");
        await().atMost(LONG).until(() -> DeployedReleases.release(port) == 1);

        repo.commit("gantry.yml", hello("retention: {builds: 1}\n"), "No deploy any more");
        trigger(2);
        assertThat(server.put("/api/pipelines/tts/builds/2/pin", "").json().path("pinned").asBoolean()).isTrue();
        trigger(3);
        assertThat(logOf(3, "hello")).contains("hello from the build");
        assertThat(artifactsOf(3)).isDirectory();
        trigger(4);

        // the sweep after build 4 removed build 3's data, and in the same pass kept 2 (pinned) and 1 (live)
        await().atMost(LONG).until(() -> pruned(3));
        JsonNode three = build(3);
        assertThat(logOf(3, "hello")).isEqualTo("[]");
        assertThat(server.get("/api/pipelines/tts/builds/3/artifacts").json()).isEmpty();
        assertThat(server.get("/api/pipelines/tts/builds/3/telemetry").json()).isEmpty();
        assertThat(artifactsOf(3)).doesNotExist();
        assertThat(server.dataDir.resolve("builds").resolve(three.path("build").path("id").asText())
                .resolve("build.json")).exists();
        assertThat(three.path("build").path("tasks").get(0).path("status").asText()).isEqualTo("succeeded");
        assertThat(three.path("steps").path("hello")).isNotEmpty();
        assertThat(server.get("/api/pipelines/tts/builds/3/tests").json()).hasSize(1);

        assertThat(pruned(2)).as("pinned").isFalse();
        assertThat(logOf(2, "hello")).contains("hello from the build");
        assertThat(artifactsOf(2).resolve("hello/model/out/model.bin")).exists();
        assertThat(pruned(1)).as("behind the live release").isFalse();
        assertThat(logOf(1, "deploy")).isNotEqualTo("[]");
        assertThat(pruned(4)).as("the newest").isFalse();
        assertThat(server.log()).contains("retention: removed the logs, artifacts and telemetry of tts #3",
                "keeps the newest 1 builds");

        assertThat(server.delete("/api/pipelines/tts/builds/2/pin").json().path("pinned").asBoolean()).isFalse();
        trigger(5);
        await().atMost(LONG).until(() -> pruned(4));
        assertThat(pruned(2)).as("unpinned, it went in the same pass as #4").isTrue();
        assertThat(pruned(1)).as("still live").isFalse();
        assertThat(DeployedReleases.release(port)).isEqualTo(1);
    }

    @Test
    void aPipelineThatSaysNothingFollowsTheServersKeepBuilds() throws Exception {
        repo = new GitRepo(tmp.resolve("repo"));
        repo.commit("gantry.yml", hello(""), "hello");
        server = new ServerFixture(ServerFixture.settings(tmp.resolve("data"), 1, 0)
                .withKeep(new Retention(1, null)));
        server.addPipeline(repo.dir(), "tts", "1h", null);
        server.awaitBuild("tts", 1, LONG);
        assertThat(pruned(1)).isFalse();
        trigger(2);
        await().atMost(LONG).until(() -> pruned(1));
        assertThat(pruned(2)).isFalse();
        assertThat(Files.exists(artifactsOf(2))).isTrue();
    }
}
