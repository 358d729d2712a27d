package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets through the API: set, listed without values, used by builds, masked in their logs. */
class SecretsApiTest {

    private static final String GLOBAL = "global-token-value-1";
    private static final String OWN = "pipeline-token-value-2";

    @TempDir
    Path tmp;

    private static String pipeline(String expected, String secret) {
        return """
                jobs:
                  build:
                    env:
                      T: {secret: %s}
                    steps:
                      - run: test "$T" = '%s' && echo "token $T" && printf '%%s' "$T" | base64
                """.formatted(secret, expected);
    }

    private static ServerFixture.Response send(ServerFixture server, String method, String path, String body,
                                               String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url(path)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new ServerFixture.Response(r.statusCode(), r.body());
    }

    @Test
    void secretsSetThroughTheApiReachBuildsMaskedAndAreNeverReturned() throws Exception {
        try (GitRepo repo = new GitRepo(tmp.resolve("repo"));
             ServerFixture server = new ServerFixture(tmp.resolve("data"))) {
            assertThat(send(server, "PUT", "/api/secrets/hf-token", "{\"value\":\"" + GLOBAL + "\"}", null)
                    .status()).isEqualTo(200);
            ServerFixture.Response shortOne = send(server, "PUT", "/api/secrets/short", "{\"value\":\"1234567\"}",
                    null);
            assertThat(shortOne.status()).isEqualTo(400);
            assertThat(shortOne.json().path("message").asText()).contains("shorter than 8 characters");

            repo.commit("gantry.yml", pipeline(GLOBAL, "hf-token"), "Use the global secret");
            server.addPipeline(repo.dir(), "demo", "1s", null);
            JsonNode first = server.awaitBuild("demo", 1, Duration.ofSeconds(60));
            assertThat(first.path("build").path("status").asText()).as(first.toString()).isEqualTo("succeeded");
            String log1 = server.get("/api/pipelines/demo/builds/1/logs/build").body();
            assertThat(log1).contains("token ***").doesNotContain(GLOBAL).doesNotContain("Z2xvYmFsLXRva2VuLXZhbHVlLTE");

            assertThat(send(server, "PUT", "/api/pipelines/demo/secrets/hf-token", "{\"value\":\"" + OWN + "\"}",
                    null).status()).isEqualTo(200);
            ServerFixture.Response own = server.get("/api/pipelines/demo/secrets");
            assertThat(own.json()).singleElement().satisfies(s -> {
                assertThat(s.path("name").asText()).isEqualTo("hf-token");
                assertThat(s.path("scope").asText()).isEqualTo("pipeline");
                assertThat(s.path("updated_at").asText()).isNotBlank();
            });
            ServerFixture.Response global = server.get("/api/secrets");
            assertThat(global.json()).extracting(n -> n.path("name").asText()).containsExactly("hf-token");
            assertThat(own.body() + global.body()).doesNotContain(GLOBAL).doesNotContain(OWN)
                    .doesNotContain("value");

            repo.commit("gantry.yml", pipeline(OWN, "hf-token"), "The pipeline's own secret shadows the global one");
            JsonNode second = server.awaitBuild("demo", 2, Duration.ofSeconds(60));
            assertThat(second.path("build").path("status").asText()).as(second.toString()).isEqualTo("succeeded");
            assertThat(server.get("/api/pipelines/demo/builds/2/logs/build").body()).contains("token ***")
                    .doesNotContain(OWN);

            repo.commit("gantry.yml", pipeline(OWN, "no-such-secret"), "Reference a secret nobody set");
            JsonNode third = server.awaitBuild("demo", 3, Duration.ofSeconds(60));
            assertThat(third.path("build").path("status").asText()).isEqualTo("errored");
            assertThat(third.toString()).contains("unknown secret 'no-such-secret'");
            assertThat(server.get("/api/pipelines/demo/builds/3/logs/setup").json().path("lines").toString())
                    .contains("gantry.yml:4:", "jobs.build.env.T", "unknown secret 'no-such-secret'",
                            "gantry secret set");

            assertThat(send(server, "DELETE", "/api/pipelines/demo/secrets/hf-token", null, null).status())
                    .isEqualTo(204);
            assertThat(send(server, "DELETE", "/api/pipelines/demo/secrets/hf-token", null, null).status())
                    .isEqualTo(404);
            assertThat(send(server, "PUT", "/api/pipelines/nope/secrets/x", "{\"value\":\"long-enough\"}", null)
                    .status()).isEqualTo(404);
            String sealed = server.server.store().secrets().find(null, "hf-token").orElseThrow().sealed();
            assertThat(sealed).doesNotContain(GLOBAL);
            assertThat(Files.getPosixFilePermissions(tmp.resolve("data").resolve("secret.key")))
                    .hasSize(2);
            assertThat(server.log()).doesNotContain(GLOBAL).doesNotContain(OWN);
        }
    }

    @Test
    void theSecretsApiNeedsTheToken() throws Exception {
        try (ServerFixture server = new ServerFixture(ServerFixture.settings(tmp.resolve("data"), 1, 0)
                .withToken("the-token"))) {
            assertThat(send(server, "PUT", "/api/secrets/x", "{\"value\":\"long-enough\"}", null).status())
                    .isEqualTo(401);
            assertThat(send(server, "GET", "/api/secrets", null, null).status()).isEqualTo(401);
            assertThat(send(server, "PUT", "/api/secrets/x", "{\"value\":\"long-enough\"}", "the-token").status())
                    .isEqualTo(200);
        }
    }
}
