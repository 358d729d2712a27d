package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollback, deploying a build's release again, and stop, through the API and the environments page's button, on
 * releases real builds deployed: what answers on the stable port is checked, not only the history.
 */
class DeployActionsTest {

    static final Duration LONG = Duration.ofSeconds(90);
    static final String TOKEN = "s3cret-token-for-tests";

    @TempDir
    Path tmp;
    GitRepo repo;
    ServerFixture server;
    HookReceiver hooks;
    int port;

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

    /** Builds 1 and 2 deploy releases 1 and 2 of production; release 2 is live. */
    private void twoReleases(ServerSettings settings) throws Exception {
        twoReleases(settings, "true");
    }

    /** The same with a gate running {@code gate} (bash) in every deploy and rollback. */
    private void twoReleases(ServerSettings settings, String gate) throws Exception {
        hooks = new HookReceiver();
        port = DeployedReleases.freePort();
        repo = new GitRepo(tmp.resolve("repo"));
        String yaml = DeployedReleases.withGate(DeployedReleases.pipeline(port, tmp.resolve("unhealthy"),
                "{max: 3, within: 10m}", "alert", hooks), gate);
        repo.commit("gantry.yml", yaml, "First");
        server = new ServerFixture(settings);
        post("/api/pipelines", "{\"repository\":\"" + repo.dir() + "\",\"name\":\"tts\",\"check_every\":\"1h\"}");
        assertThat(awaitBuild(1)).isEqualTo("succeeded");
        repo.commit("gantry.yml", yaml + "# second\n", "Second");
        post("/api/pipelines/tts/builds", "");
        assertThat(awaitBuild(2)).isEqualTo("succeeded");
        assertThat(DeployedReleases.release(port)).isEqualTo(2);
        assertThat(DeployedReleases.processes(port)).as("no process of the superseded release survives, and"
                + " supervision did not take its stop for a crash").isEqualTo(1);
        assertThat(server.log()).doesNotContain("release 1 is not running").doesNotContain("release 1 started again");
    }

    /** The build's status once it has ended. */
    private String awaitBuild(int number) {
        String[] status = new String[1];
        server.explainingTimeouts(() -> await().atMost(LONG).pollInterval(Duration.ofMillis(200)).until(() -> {
            ServerFixture.Response r = server.get("/api/pipelines/tts/builds/" + number, "Authorization",
                    "Bearer " + TOKEN);
            if (r.status() != 200 || r.json().path("build").path("finished_at").isNull()) {
                return false;
            }
            status[0] = r.json().path("build").path("status").asText();
            return true;
        }), "tts #" + number, "Bearer " + TOKEN);
        return status[0];
    }

    private ServerFixture.Response post(String path, String body) {
        return server.post(path, body, "Authorization", "Bearer " + TOKEN);
    }

    private String status(int release) {
        return server.get("/api/pipelines/tts/environments/production/releases/" + release,
                "Authorization", "Bearer " + TOKEN).json().path("release").path("status").asText();
    }

    /** Waits for the answer's action to end (it may answer 202 while a slow machine starts the release). */
    private void settled(ServerFixture.Response r, int release) {
        assertThat(r.status()).as(r.body()).isIn(200, 202);
        await().atMost(LONG).until(() -> status(release).equals("live"));
    }

    @Test
    void rollsBackDeploysABuildsReleaseAgainAndStops() throws Exception {
        twoReleases(ServerFixture.settings(tmp.resolve("data"), 2, 0).withToken(TOKEN));

        ServerFixture.Response back = post("/api/pipelines/tts/environments/production/rollback", "");
        settled(back, 1);
        assertThat(status(2)).isEqualTo("rolled_back");
        assertThat(DeployedReleases.release(port)).as("the previous release answers on the stable port").isEqualTo(1);

        ServerFixture.Response again = post("/api/pipelines/tts/environments/production/deploy", "{\"build\": 2}");
        settled(again, 2);
        assertThat(DeployedReleases.release(port)).isEqualTo(2);
        assertThat(status(1)).isEqualTo("rolled_back");

        ServerFixture.Response none = post("/api/pipelines/tts/environments/production/deploy", "{\"build\": 9}");
        assertThat(none.status()).isEqualTo(409);
        assertThat(none.json().path("message").asText()).startsWith("build #9 of tts made no release of production");
        ServerFixture.Response noBuild = post("/api/pipelines/tts/environments/production/deploy", "{}");
        assertThat(noBuild.status()).isEqualTo(400);
        assertThat(noBuild.json().path("message").asText()).contains("'build'");
        ServerFixture.Response typo = post("/api/pipelines/tts/environments/production/rollback", "{\"too\": 1}");
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.json().path("message").asText()).contains("unknown key 'too'");
        ServerFixture.Response same = post("/api/pipelines/tts/environments/production/rollback", "{\"to\": 2}");
        assertThat(same.status()).isEqualTo(409);
        assertThat(same.json().path("message").asText()).isEqualTo("release 2 is already live in production");

        ServerFixture.Response stopped = post("/api/pipelines/tts/environments/production/stop", "");
        assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
        assertThat(stopped.json().path("status").asText()).isEqualTo("stopped");
        assertThat(status(2)).isEqualTo("stopped");
        assertThat(DeployedReleases.pid(port)).as("nothing answers once stopped").isEqualTo(-1);
        await().pollDelay(Duration.ofSeconds(3)).atMost(LONG).until(() -> true);
        assertThat(DeployedReleases.pid(port)).as("a stopped release is not supervised back to life").isEqualTo(-1);
        assertThat(post("/api/pipelines/tts/environments/production/stop", "").status()).isEqualTo(409);
    }

    @Test
    void aSecondRollbackWhileOneIsUnderWayIsRefusedNotQueued() throws Exception {
        Path hold = tmp.resolve("hold");
        Path gated = tmp.resolve("gated");
        twoReleases(ServerFixture.settings(tmp.resolve("data"), 2, 0).withToken(TOKEN),
                "if [ -e '" + hold + "' ]; then touch '" + gated + "'; fi\n"
                        + "while [ -e '" + hold + "' ]; do sleep 0.1; done");
        java.nio.file.Files.writeString(hold, "");

        ServerFixture.Response first = post("/api/pipelines/tts/environments/production/rollback", "");
        assertThat(first.status()).as(first.body()).isIn(200, 202);
        await().atMost(LONG).until(() -> java.nio.file.Files.exists(gated));
        ServerFixture.Response second = post("/api/pipelines/tts/environments/production/rollback", "");
        assertThat(second.status()).as("a double click does not queue a rollback one release further back")
                .isEqualTo(409);
        assertThat(second.json().path("message").asText()).startsWith("a rollback of production is already under way");
        ServerFixture.Response promote = post("/api/pipelines/tts/environments/production/deploy", "{\"build\": 2}");
        assertThat(promote.status()).isEqualTo(409);

        java.nio.file.Files.delete(hold);
        await().atMost(LONG).until(() -> status(1).equals("live"));
        assertThat(status(2)).isEqualTo("rolled_back");
        assertThat(DeployedReleases.release(port)).isEqualTo(1);
        ServerFixture.Response again = post("/api/pipelines/tts/environments/production/rollback", "{\"to\": 2}");
        assertThat(again.status()).as("once it has ended, the next action is taken: " + again.body()).isIn(200, 202);
        await().atMost(LONG).until(() -> status(2).equals("live"));
    }

    @Test
    void theRollbackButtonWorksWithTheTokenCookie() throws Exception {
        twoReleases(ServerFixture.settings(tmp.resolve("data"), 2, 0).withToken(TOKEN));
        HttpClient browser = HttpClient.newHttpClient();
        String page = server.url("/pipelines/tts/environments");
        HttpResponse<String> form = browser.send(HttpRequest.newBuilder(URI.create(page))
                .header("Cookie", "gantry_token=" + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(form.body()).contains("action=\"/pipelines/tts/environments/production/rollback\"")
                .contains("name=\"to\" value=\"1\"");

        HttpResponse<String> clicked = browser.send(HttpRequest.newBuilder(URI.create(
                        server.url("/pipelines/tts/environments/production/rollback")))
                .header("Cookie", "gantry_token=" + TOKEN)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("to=1")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(clicked.statusCode()).as(clicked.body()).isIn(200, 202);
        assertThat(clicked.body()).contains("id=\"message\"").contains("rollback of tts/production to release 1");
        await().atMost(LONG).until(() -> status(1).equals("live"));
        assertThat(DeployedReleases.release(port)).isEqualTo(1);

        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        server.url("/pipelines/tts/environments/production/rollback")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("to=2")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).as("without the token: sent to the login page").isEqualTo(302);
        assertThat(status(1)).isEqualTo("live");
        JsonNode env = server.get("/api/pipelines/tts/environments/production", "Authorization", "Bearer " + TOKEN)
                .json();
        assertThat(env.path("live").path("number").asInt()).isEqualTo(1);
    }
}
