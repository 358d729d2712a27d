package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.server.trigger.WebhookSignatures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server started with a token lets in only requests that carry it, and a browser that signed in. */
class AuthTest {

    @TempDir
    Path tmp;

    @Test
    void everyRequestButHealthMetricsLoginAndWebhooksNeedsTheToken() throws Exception {
        try (GitRepo repo = new GitRepo(tmp.resolve("repo"));
             ServerFixture server = new ServerFixture(ServerFixture.settings(tmp.resolve("data"), 1, 0)
                     .withToken("t0ken"))) {
            repo.commit("gantry.yml", "jobs:\n  a:\n    steps:\n      - run: echo a\n", "a");
            ServerFixture.Response refused = server.get("/api/builds");
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.json().path("message").asText()).contains("Authorization: Bearer");
            assertThat(server.get("/api/builds", "Authorization", "Bearer wrong").status()).isEqualTo(401);
            assertThat(server.post("/api/pipelines", "{\"repository\":\"" + repo.dir() + "\"}").status())
                    .isEqualTo(401);
            assertThat(server.get("/api/builds", "Authorization", "Bearer t0ken").status()).isEqualTo(200);
            assertThat(server.get("/healthz").status()).isEqualTo(200);
            assertThat(server.get("/metrics").status()).isEqualTo(200);

            java.net.http.HttpClient noRedirects = java.net.http.HttpClient.newHttpClient();
            var page = noRedirects.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url("/")))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(302);
            assertThat(page.headers().firstValue("Location")).contains("/login?next=%2F");
            var login = noRedirects.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url("/login")))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("token=t0ken")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(302);
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).contains("gantry_token=t0ken", "HttpOnly", "SameSite=Strict");
            assertThat(server.get("/", "Cookie", "gantry_token=t0ken").body()).contains("<h1>Pipelines</h1>");
            assertThat(noRedirects.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url("/login")))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("token=guess")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);

            server.post("/api/pipelines", "{\"repository\":\"" + repo.dir() + "\",\"name\":\"a\",\"check_every\":\"1h\","
                    + "\"webhook_secret\":\"s\"}", "Authorization", "Bearer t0ken");
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            String signature = "sha256=" + HexFormat.of().formatHex(WebhookSignatures.hmac("s", body));
            assertThat(server.post("/api/webhooks/github", "{}", "X-Hub-Signature-256", signature).status())
                    .as("webhooks prove themselves with their signature, not the token").isEqualTo(202);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    server.get("/api/builds?pipeline=a", "Authorization", "Bearer t0ken").json().path("total")
                            .asLong() >= 1);
        }
    }

    @Test
    void signingInFollowsOnlyPathsOnThisServer() throws Exception {
        try (ServerFixture server = new ServerFixture(ServerFixture.settings(tmp.resolve("data"), 1, 0)
                .withToken("t0ken"))) {
            java.net.http.HttpClient noRedirects = java.net.http.HttpClient.newHttpClient();
            java.util.function.Function<String, String> after = next -> {
                try {
                    var r = noRedirects.send(java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create(server.url("/login")))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("token=t0ken&next="
                                    + java.net.URLEncoder.encode(next, StandardCharsets.UTF_8))).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).isEqualTo(302);
                    return r.headers().firstValue("Location").orElseThrow();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            assertThat(after.apply("/pipelines/demo/builds/3?tab=tests"))
                    .isEqualTo("/pipelines/demo/builds/3?tab=tests");
            assertThat(after.apply("/a%20b")).as("a percent-encoded space is refused too").isEqualTo("/");
            for (String elsewhere : new String[] {"/\t/evil.example", "/\n/evil.example", "//evil.example",
                    "/\\evil.example", "/%09/evil.example", "/%2F/evil.example", "/%5Cevil.example",
                    "https://evil.example/", "evil.example", " /evil", "/%zz", "/\u3000/evil.example"}) {
                assertThat(after.apply(elsewhere)).as("next=%s", elsewhere).isEqualTo("/");
            }
        }
    }
}
