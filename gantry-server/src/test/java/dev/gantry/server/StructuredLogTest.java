package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry server --log-format json}: every line of the server's own log is one JSON object with time, level
 * and message, and pipeline, build and task where they apply; a task's raw log downloads whole as plain text.
 */
class StructuredLogTest {

    @TempDir
    Path tmp;

    @Test
    void jsonLinesCarryWhatTheyAreAboutAndTheRawLogDownloads() throws Exception {
        try (GitRepo repo = new GitRepo(tmp.resolve("repo"));
             ServerFixture server = new ServerFixture(ServerFixture.settings(tmp.resolve("data"), 2, 0),
                     ServerLog.Format.JSON)) {
            repo.commit("gantry.yml", """
                    jobs:
                      talk:
                        steps: [{run: 'for i in $(seq 1 2500); do echo "line $i"; done'}]
                    """, "a talkative job");
            server.addPipeline(repo.dir(), "logs", "1h", null);
            JsonNode build = server.awaitBuild("logs", 1, Duration.ofMinutes(2));
            assertThat(build.path("build").path("status").asText()).isEqualTo("succeeded");

            List<String> lines = server.log().lines().toList();
            assertThat(lines).isNotEmpty();
            List<JsonNode> parsed = lines.stream().map(l -> {
                try {
                    return ServerFixture.JSON.readTree(l);
                } catch (Exception e) {
                    throw new AssertionError("not a JSON line: " + l, e);
                }
            }).toList();
            assertThat(parsed).allSatisfy(j -> {
                assertThat(j.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
                assertThat(j.path("level").asText()).isIn("info", "warn");
                assertThat(j.path("message").asText()).isNotBlank();
            });
            assertThat(parsed).anySatisfy(j -> {
                assertThat(j.path("message").asText()).isEqualTo("build logs #1 started");
                assertThat(j.path("pipeline").asText()).isEqualTo("logs");
                assertThat(j.path("build").asLong()).isEqualTo(1);
            });
            assertThat(parsed).anySatisfy(j -> assertThat(j.path("message").asText()).startsWith("gantry server"));

            HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    server.url("/api/pipelines/logs/builds/1/logs/talk/raw"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(raw.statusCode()).isEqualTo(200);
            assertThat(raw.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            assertThat(raw.headers().firstValue("Content-Disposition").orElse(""))
                    .contains("attachment", "logs-1-talk.log");
            List<String> body = raw.body().lines().toList();
            assertThat(body).contains("line 1", "line 2500");
            assertThat(body.indexOf("line 2500")).isGreaterThan(body.indexOf("line 1"));
            assertThat(server.get("/pipelines/logs/builds/1/tasks/talk").body())
                    .contains("/api/pipelines/logs/builds/1/logs/talk/raw");
        }
    }
}
