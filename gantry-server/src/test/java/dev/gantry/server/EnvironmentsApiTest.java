package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.core.deploy.Release;
import dev.gantry.core.deploy.ReleaseHistory;
import dev.gantry.core.deploy.ReleaseStatus;
import dev.gantry.core.notify.Delivery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Environments, releases and notification deliveries through the real server's API and pages, with the history
 * written to the real store as deploys write it.
 */
class EnvironmentsApiTest {

    static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    @TempDir
    Path tmp;
    ServerFixture server;
    ReleaseHistory history;

    @BeforeEach
    void start() {
        server = new ServerFixture(tmp.resolve("data"));
        history = server.server.store().releases();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Release 1 superseded by 2 (live, tag v1.1), 3 a failed candidate; staging has release 1 live. */
    private void deployHistory() {
        Release one = history.create(draft("production", 10, "v1.0", ReleaseStatus.DEPLOYING));
        history.update(one.withStatus(ReleaseStatus.LIVE, T0.plusSeconds(10), null));
        Release two = history.create(draft("production", 11, "v1.1", ReleaseStatus.DEPLOYING));
        history.update(one.withStatus(ReleaseStatus.LIVE, T0.plusSeconds(10), null)
                .withStatus(ReleaseStatus.SUPERSEDED, T0.plusSeconds(20), null));
        history.update(two.withStatus(ReleaseStatus.LIVE, T0.plusSeconds(20), null));
        Release three = history.create(draft("production", 12, "v1.2", ReleaseStatus.DEPLOYING));
        history.update(three.withStatus(ReleaseStatus.FAILED, T0.plusSeconds(30),
                "gate failed: voiced_ratio 0.00 < 0.2"));
        Release staging = history.create(draft("staging", 9, null, ReleaseStatus.DEPLOYING));
        history.update(staging.withStatus(ReleaseStatus.LIVE, T0.plusSeconds(5), null));
    }

    private static Release draft(String env, long build, String tag, ReleaseStatus status) {
        return new Release("tts", env, 0, build, "c0ffee" + build + "0123456789", tag == null ? "main" : null, tag,
                "poll", Map.of("tts-service.jar", "sha256:ab" + build), Map.of("models", "sha256:cd"), 7860, status,
                T0.plusSeconds(build), null, null, null);
    }

    @Test
    void listsEachEnvironmentWithWhatIsLiveAndItsNewestRelease() {
        deployHistory();
        ServerFixture.Response r = server.get("/api/pipelines/tts/environments");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode envs = r.json();
        assertThat(envs).hasSize(2);
        assertThat(envs.get(0).path("environment").asText()).isEqualTo("production");
        assertThat(envs.get(1).path("environment").asText()).isEqualTo("staging");
        JsonNode production = envs.get(0);
        assertThat(production.path("live").path("number").asInt()).isEqualTo(2);
        assertThat(production.path("live").path("build").asLong()).isEqualTo(11);
        assertThat(production.path("live").path("tag").asText()).isEqualTo("v1.1");
        assertThat(production.path("live").path("commit").asText()).isEqualTo("c0ffee110123456789");
        assertThat(production.path("live").path("status").asText()).isEqualTo("live");
        assertThat(production.path("live").path("live_at").asText()).isEqualTo("2026-11-30T10:00:20Z");
        assertThat(production.path("health").isNull()).as("nobody probes it yet").isTrue();
        assertThat(production.path("latest").path("number").asInt()).isEqualTo(3);
        assertThat(production.path("latest").path("status").asText()).isEqualTo("failed");
        assertThat(production.path("latest").path("reason").asText()).contains("voiced_ratio");
        assertThat(envs.get(1).path("live").path("branch").asText()).isEqualTo("main");
    }

    @Test
    void listsAnEnvironmentsReleasesNewestFirstWithTheirStatuses() {
        deployHistory();
        JsonNode releases = server.get("/api/pipelines/tts/environments/production/releases").json();
        assertThat(releases).hasSize(3);
        assertThat(releases.get(0).path("number").asInt()).isEqualTo(3);
        assertThat(releases.get(1).path("number").asInt()).isEqualTo(2);
        assertThat(releases.get(2).path("number").asInt()).isEqualTo(1);
        assertThat(releases.findValuesAsText("status")).containsExactly("failed", "live", "superseded");
        assertThat(releases.get(2).path("ended_at").asText()).isEqualTo("2026-11-30T10:00:20Z");
        assertThat(releases.get(0).path("files").path("tts-service.jar").asText()).isEqualTo("sha256:ab12");
        assertThat(releases.get(0).path("volumes").path("models").asText()).isEqualTo("sha256:cd");
    }

    @Test
    void showsAReleaseWithItsGateOutputAndItsCandidatesLogFromItsDirectory() throws Exception {
        deployHistory();
        Path dir = server.dataDir.resolve("environments/tts/production/releases/3");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("gate.log"), "$ curl -sf -X POST $GANTRY_RELEASE_URL/tts\n"
                + "audio_check gate.wav: voiced_ratio 0.00 < 0.2\n");
        Files.writeString(dir.resolve("service.log"), "loading model\nserving on 7861\n");
        JsonNode r = server.get("/api/pipelines/tts/environments/production/releases/3").json();
        assertThat(r.path("release").path("status").asText()).isEqualTo("failed");
        assertThat(r.path("kept_on_disk").asBoolean()).isTrue();
        assertThat(strings(r.path("gate_output"))).containsExactly("$ curl -sf -X POST $GANTRY_RELEASE_URL/tts",
                "audio_check gate.wav: voiced_ratio 0.00 < 0.2");
        assertThat(strings(r.path("service_log"))).containsExactly("loading model", "serving on 7861");

        JsonNode pruned = server.get("/api/pipelines/tts/environments/production/releases/1").json();
        assertThat(pruned.path("kept_on_disk").asBoolean()).isFalse();
        assertThat(pruned.path("gate_output").isNull()).isTrue();
        assertThat(pruned.path("service_log").isNull()).isTrue();
    }

    @Test
    void neverReadsALogThatLinksOutOfTheReleaseDirectory() throws Exception {
        deployHistory();
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "hunter2-outside\n");
        Path dir = server.dataDir.resolve("environments/tts/production/releases/2");
        Files.createDirectories(dir);
        Files.createSymbolicLink(dir.resolve("service.log"), secret);
        Files.createSymbolicLink(dir.resolve("gate.log"), Path.of("../../../../../../secret.txt"));
        ServerFixture.Response r = server.get("/api/pipelines/tts/environments/production/releases/2");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("hunter2");
        assertThat(r.json().path("service_log").isNull()).isTrue();
        assertThat(r.json().path("gate_output").isNull()).isTrue();
    }

    @Test
    void namesWhatIsMissingWhenAPipelineEnvironmentOrReleaseIsUnknown() {
        deployHistory();
        ServerFixture.Response env = server.get("/api/pipelines/tts/environments/prod/releases");
        assertThat(env.status()).isEqualTo(404);
        assertThat(env.json().path("message").asText()).isEqualTo("environment 'prod' of pipeline 'tts' has no "
                + "releases (environments with releases: production, staging)");
        assertThat(server.get("/api/pipelines/nope/environments").status()).isEqualTo(404);
        ServerFixture.Response release = server.get("/api/pipelines/tts/environments/production/releases/9");
        assertThat(release.status()).isEqualTo(404);
        assertThat(release.json().path("message").asText()).isEqualTo("release 9 of tts/production not found");
        ServerFixture.Response bad = server.get("/api/pipelines/tts/environments/production/releases/x");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("message").asText()).contains("'x' is not a number");
    }

    @Test
    void listsDeliveryAttemptsNewestFirstAndByPipeline() {
        var log = server.server.store().deliveries();
        log.record(new Delivery("n1", "tts", "slack", "hooks.slack.com", "monitor_failed", null, "production", 2, 1,
                "failed", "HTTP 500", T0.plusSeconds(1)));
        log.record(new Delivery("n1", "tts", "slack", "hooks.slack.com", "monitor_failed", null, "production", 2, 2,
                "delivered", "HTTP 200", T0.plusSeconds(3)));
        log.record(new Delivery("n2", "other", "webhook", "hooks.example", "build_failed", 4L, null, null, 1,
                "delivered", "HTTP 204", T0.plusSeconds(2)));
        JsonNode all = server.get("/api/notifications").json();
        assertThat(all.findValuesAsText("at")).containsExactly("2026-11-30T10:00:03Z", "2026-11-30T10:00:02Z",
                "2026-11-30T10:00:01Z");
        assertThat(server.get("/api/notifications?pipeline=").json()).as("an empty filter is no filter")
                .isEqualTo(all);
        JsonNode tts = server.get("/api/notifications?pipeline=tts").json();
        assertThat(tts.findValuesAsText("attempt")).containsExactly("2", "1");
        assertThat(tts.get(0).path("event").asText()).isEqualTo("monitor_failed");
        assertThat(tts.get(0).path("environment").asText()).isEqualTo("production");
        assertThat(tts.get(0).path("release").asInt()).isEqualTo(2);
        assertThat(server.get("/api/notifications?limit=0").status()).isEqualTo(400);
    }

    @Test
    void theEnvironmentsPageShowsWhatIsLiveTheHistoryARollbackButtonAndTheNotifications() throws Exception {
        deployHistory();
        server.server.store().deliveries().record(new Delivery("n1", "tts", "webhook", "hooks.example",
                "deploy_rolled_back", 12L, "production", 3, 1, "delivered", "HTTP 200", T0.plusSeconds(31)));
        ServerFixture.Response page = server.get("/pipelines/tts/environments");
        assertThat(page.status()).isEqualTo(200);
        String html = page.body();
        assertThat(html).contains("id=\"env-production\"", "id=\"env-staging\"")
                .contains("href=\"/pipelines/tts/environments/production/releases/2\">release 2</a>")
                .contains("build #11").contains("tag v1.1").contains("since 2026-11-30T10:00:20Z")
                .contains("class=\"badge release-failed\"").contains("voiced_ratio 0.00 &lt; 0.2")
                .contains("<form method=\"post\" action=\"/pipelines/tts/environments/production/rollback\"")
                .contains("name=\"to\" value=\"1\"").contains("roll back to 1")
                .contains("data-event=\"deploy_rolled_back\"");

        Path dir = server.dataDir.resolve("environments/tts/production/releases/3");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("gate.log"), "<script>alert(1)</script> silence\n");
        Files.writeString(dir.resolve("service.log"), "model loaded\n");
        String release = server.get("/pipelines/tts/environments/production/releases/3").body();
        assertThat(release).contains("id=\"gate-output\"").contains("&lt;script&gt;alert(1)&lt;/script&gt; silence")
                .doesNotContain("<script>alert(1)").contains("id=\"service-log\"").contains("model loaded")
                .contains("sha256:ab12");
        assertThat(server.get("/notifications").body()).contains("data-event=\"deploy_rolled_back\"");
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
