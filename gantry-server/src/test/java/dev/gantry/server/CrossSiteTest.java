package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server without a token refuses changes a browser says another site sent (a page posting a form to
 * 127.0.0.1 to roll back production), and still takes them from its own pages, the CLI and curl.
 */
class CrossSiteTest {

    @TempDir
    Path tmp;

    @Test
    void changesSentFromAnotherSiteAreRefusedAndNothingChanges() throws Exception {
        try (GitRepo repo = new GitRepo(tmp.resolve("repo"));
             ServerFixture server = new ServerFixture(tmp.resolve("data"))) {
            repo.commit("gantry.yml", "jobs:\n  a:\n    steps:\n      - run: echo a\n", "a");
            String body = "{\"repository\":\"" + repo.dir() + "\",\"name\":\"p\",\"check_every\":\"1h\"}";

            ServerFixture.Response fromElsewhere = server.post("/api/pipelines", body, "Origin",
                    "https://evil.example");
            assertThat(fromElsewhere.status()).isEqualTo(403);
            assertThat(fromElsewhere.json().path("message").asText()).contains("another site");
            assertThat(server.post("/api/pipelines", body, "Sec-Fetch-Site", "cross-site").status()).isEqualTo(403);
            assertThat(server.post("/api/pipelines", body, "Origin", "null").status()).isEqualTo(403);
            assertThat(server.get("/api/pipelines").json()).as("nothing was registered").isEmpty();

            String own = server.url("");
            assertThat(server.post("/api/pipelines", body, "Origin", own, "Sec-Fetch-Site", "same-origin")
                    .status()).isEqualTo(201);
            assertThat(server.post("/api/pipelines", body).status()).as("the CLI and curl send no Origin")
                    .isEqualTo(201);
            assertThat(server.get("/api/pipelines", "Origin", "https://evil.example").status())
                    .as("reading is not a change").isEqualTo(200);
        }
    }
}
