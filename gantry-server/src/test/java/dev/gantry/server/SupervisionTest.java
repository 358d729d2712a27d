package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server supervises what a real deploy made live: a real release process, killed for real, probed over real
 * HTTP, with notifications received by a real HTTP endpoint on loopback (Slack's format, and the webhook's signed
 * JSON) and a real SMTP server.
 */
class SupervisionTest {

    static final Duration LONG = Duration.ofSeconds(90);
    static final String HOOK_KEY = "the-webhook-signing-key";

    @TempDir
    Path tmp;
    GitRepo repo;
    ServerFixture server;
    HookReceiver hooks;
    int port;
    Path unhealthy;
    GreenMail smtp;

    private static String hmac(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(HOOK_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    @AfterEach
    void stop() {
        if (smtp != null) {
            smtp.stop();
        }
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

    private void deploy(String restart, String onFailure) throws Exception {
        start();
        deploy(DeployedReleases.pipeline(port, unhealthy, restart, onFailure, hooks));
    }

    private void start() throws Exception {
        hooks = new HookReceiver();
        port = DeployedReleases.freePort();
        unhealthy = tmp.resolve("unhealthy");
        repo = new GitRepo(tmp.resolve("repo"));
        server = new ServerFixture(tmp.resolve("data"));
    }

    private void deploy(String yaml) {
        repo.commit("gantry.yml", yaml, "Deploy");
        server.addPipeline(repo.dir(), "tts", "1h", null);
        JsonNode build = server.awaitBuild("tts", 1, LONG);
        assertThat(build.path("build").path("status").asText()).as(server.log()).isEqualTo("succeeded");
        assertThat(live().path("number").asInt()).isEqualTo(1);
    }

    private JsonNode environment() {
        return server.get("/api/pipelines/tts/environments/production").json();
    }

    private JsonNode live() {
        return environment().path("live");
    }

    @Test
    void aCrashedLiveReleaseIsStartedAgainAndStaysLive() throws Exception {
        deploy("{max: 3, within: 10m}", "alert");
        long first = DeployedReleases.pid(port);
        assertThat(first).isPositive();

        ProcessHandle.of(first).orElseThrow().destroyForcibly();

        long[] again = new long[1];
        await().atMost(LONG).pollInterval(Duration.ofMillis(200)).until(() -> {
            again[0] = DeployedReleases.pid(port);
            return again[0] > 0 && again[0] != first;
        });
        assertThat(live().path("number").asInt()).as("the same release serves again").isEqualTo(1);
        // said once its readiness probe passed, which may be a moment after it first answers
        await().atMost(LONG).until(() -> server.log().contains("tts/production release 1 started again"));
        assertThat(server.log()).contains("tts/production release 1 is not running; starting it again");
    }

    @Test
    void aReleaseThatKeepsCrashingPastItsRestartBudgetIsMarkedFailedAndAlerted() throws Exception {
        deploy("{max: 1, within: 10m}", "alert");
        long first = DeployedReleases.pid(port);
        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        long[] second = new long[1];
        await().atMost(LONG).pollInterval(Duration.ofMillis(200)).until(() -> {
            second[0] = DeployedReleases.pid(port);
            return second[0] > 0 && second[0] != first;
        });
        ProcessHandle.of(second[0]).orElseThrow().destroyForcibly();

        await().atMost(LONG).pollInterval(Duration.ofMillis(200)).until(() ->
                server.get("/api/pipelines/tts/environments/production/releases/1").json().path("release")
                        .path("status").asText().equals("failed"));
        JsonNode release = server.get("/api/pipelines/tts/environments/production/releases/1").json().path("release");
        assertThat(release.path("reason").asText()).isEqualTo("crashed 2 times within 10m (restart max 1): no longer"
                + " restarted");
        assertThat(environment().path("live").isNull()).isTrue();
        await().atMost(LONG).until(() -> hooks.received("/webhook").size() == 1);
        JsonNode alert = hooks.received("/webhook").get(0).json();
        assertThat(alert.path("event").asText()).isEqualTo("monitor_failed");
        assertThat(alert.path("message").asText()).contains("crashed 2 times");
        assertThat(DeployedReleases.pid(port)).as("not started a third time").isEqualTo(-1);
    }

    @Test
    void aMonitorWithOnFailureRestartStartsTheReleaseAgain() throws Exception {
        deploy("{max: 3, within: 10m}", "restart");
        await().atMost(LONG).until(() -> environment().path("health").path("state").asText().equals("passing"));
        long first = DeployedReleases.pid(port);

        Files.writeString(unhealthy, "wedged\n");
        await().atMost(LONG).until(() -> hooks.received("/webhook").size() >= 1);
        Files.delete(unhealthy);
        long[] again = new long[1];
        await().atMost(LONG).pollInterval(Duration.ofMillis(200)).until(() -> {
            again[0] = DeployedReleases.pid(port);
            return again[0] > 0 && again[0] != first;
        });
        await().atMost(LONG).until(() -> hooks.received("/webhook").size() >= 2);
        assertThat(hooks.received("/webhook")).extracting(r -> r.json().path("event").asText())
                .containsExactly("monitor_failed", "monitor_recovered");
        assertThat(live().path("number").asInt()).isEqualTo(1);
        assertThat(DeployedReleases.processes(port)).isEqualTo(1);
    }

    @Test
    void aMonitorWithOnFailureRollbackPutsThePreviousReleaseBack() throws Exception {
        deploy("{max: 3, within: 10m}", "rollback");
        Path secondFlag = tmp.resolve("unhealthy-2");
        repo.commit("gantry.yml", DeployedReleases.pipeline(port, secondFlag, "{max: 3, within: 10m}", "rollback",
                hooks), "Second");
        assertThat(server.post("/api/pipelines/tts/builds", "").status()).isEqualTo(201);
        assertThat(server.awaitBuild("tts", 2, LONG).path("build").path("status").asText()).isEqualTo("succeeded");
        assertThat(DeployedReleases.release(port)).isEqualTo(2);
        await().atMost(LONG).until(() -> environment().path("health").path("state").asText().equals("passing"));

        Files.writeString(secondFlag, "silence\n");
        await().atMost(LONG).until(() -> live().path("number").asInt() == 1);
        await().atMost(LONG).until(() -> DeployedReleases.release(port) == 1);
        assertThat(server.get("/api/pipelines/tts/environments/production/releases/2").json().path("release")
                .path("status").asText()).isEqualTo("rolled_back");
        await().atMost(LONG).until(() -> hooks.received("/webhook").size() >= 1);
        assertThat(hooks.received("/webhook")).hasSize(1);
        JsonNode alert = hooks.received("/webhook").get(0).json();
        assertThat(alert.path("event").asText()).isEqualTo("monitor_failed");
        assertThat(alert.path("release").asInt()).isEqualTo(2);
        await().atMost(LONG).until(() -> server.log().contains("tts/production release 2 rolled back by its"
                + " monitor's on_failure: release 1 serves again"));
        assertThat(DeployedReleases.processes(port)).as("the failing release was stopped").isEqualTo(1);
    }

    /**
     * Release 2's monitor fails while build 3 deploys it (blue_green: release 2 keeps serving while the candidate's
     * gate runs), so the monitor's rollback waits for the deploy lock; once release 3 is live it must not be undone.
     */
    @Test
    void aMonitorRollbackQueuedBehindADeployDoesNotRollBackTheNewerRelease() throws Exception {
        start();
        Path second = tmp.resolve("unhealthy-2");
        Path hold = tmp.resolve("hold");
        Path gated = tmp.resolve("gated");
        String gate = "if [ -e '" + hold + "' ]; then touch '" + gated + "'; fi\n"
                + "while [ -e '" + hold + "' ]; do sleep 0.1; done";
        deploy(blueGreen(DeployedReleases.withGate(DeployedReleases.pipeline(port, unhealthy,
                "{max: 3, within: 10m}", "rollback", hooks), gate)));
        repo.commit("gantry.yml", blueGreen(DeployedReleases.withGate(DeployedReleases.pipeline(port, second,
                "{max: 3, within: 10m}", "rollback", hooks), gate)), "Second");
        assertThat(server.post("/api/pipelines/tts/builds", "").status()).isEqualTo(201);
        assertThat(server.awaitBuild("tts", 2, LONG).path("build").path("status").asText()).isEqualTo("succeeded");
        await().atMost(LONG).until(() -> environment().path("health").path("state").asText().equals("passing"));

        Files.writeString(hold, "");
        repo.commit("gantry.yml", blueGreen(DeployedReleases.withGate(DeployedReleases.pipeline(port,
                tmp.resolve("unhealthy-3"), "{max: 3, within: 10m}", "rollback", hooks), gate)), "Third");
        assertThat(server.post("/api/pipelines/tts/builds", "").status()).isEqualTo(201);
        await().atMost(LONG).until(() -> Files.exists(gated));
        Files.writeString(second, "wedged\n");
        try {
            await().atMost(LONG).until(() -> hooks.received("/webhook").stream()
                    .anyMatch(r -> r.json().path("event").asText().equals("monitor_failed")
                            && r.json().path("release").asInt() == 2));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no monitor_failed of release 2:\n" + server.log(), e);
        } finally {
            Files.delete(hold);
        }

        assertThat(server.awaitBuild("tts", 3, LONG).path("build").path("status").asText()).as(server.log())
                .isEqualTo("succeeded");
        await().atMost(LONG).until(() -> server.log().contains("tts/production release 2 could not be rolled back:"
                + " release 2 of production is no longer live (release 3 is); nothing rolled back"));
        assertThat(live().path("number").asInt()).as(server.log()).isEqualTo(3);
        assertThat(server.get("/api/pipelines/tts/environments/production/releases/3").json().path("release")
                .path("status").asText()).isEqualTo("live");
        assertThat(DeployedReleases.release(port)).isEqualTo(3);
    }

    @Test
    void aDeadBlueGreenProxyIsStartedAgain() throws Exception {
        start();
        deploy(blueGreen(DeployedReleases.pipeline(port, unhealthy, "{max: 3, within: 10m}", "alert", hooks)));
        long release = DeployedReleases.pid(port);
        List<ProcessHandle> proxies = DeployedReleases.proxies(server.dataDir);
        assertThat(proxies).hasSize(1);
        long first = proxies.get(0).pid();

        proxies.get(0).destroyForcibly();

        await().atMost(LONG).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<ProcessHandle> now = DeployedReleases.proxies(server.dataDir);
            return now.size() == 1 && now.get(0).pid() != first && DeployedReleases.pid(port) == release;
        });
        assertThat(live().path("number").asInt()).isEqualTo(1);
        assertThat(server.log()).contains("tts/production release 1 is not running; starting it again");
    }

    private static String blueGreen(String yaml) {
        return yaml.replace("      monitor:\n", "      strategy: blue_green\n      monitor:\n");
    }

    @Test
    void aMonitorFailingThreeTimesSendsExactlyOneAlertThenOneRecovery() throws Exception {
        start();
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        assertThat(server.put("/api/secrets/hook-key", "{\"value\": \"" + HOOK_KEY + "\"}").status())
                .isEqualTo(200);
        deploy(DeployedReleases.pipeline(port, unhealthy, "{max: 3, within: 10m}", "alert", """
                  - webhook: {url: "%s", secret: {secret: hook-key}, on: [monitor_failed, monitor_recovered]}
                  - slack: {url: "%s", on: [monitor_failed, monitor_recovered]}
                  - email:
                      smtp: {host: 127.0.0.1, port: %d, starttls: false}
                      to: [oncall@example.com]
                      on: [monitor_failed, monitor_recovered]
                """.formatted(hooks.url("/webhook"), hooks.url("/slack"), smtp.getSmtp().getPort())));
        await().atMost(LONG).until(() -> environment().path("health").path("state").asText().equals("passing"));
        long pid = DeployedReleases.pid(port);

        Files.writeString(unhealthy, "broken\n");
        await().atMost(LONG).until(() -> hooks.received("/webhook").size() >= 1);
        // keep it failing well past the threshold: still one alert, not one per probe
        await().atMost(LONG).until(() -> environment().path("health").path("failures").asInt() >= 9);
        assertThat(environment().path("health").path("state").asText()).isEqualTo("failing");
        Files.delete(unhealthy);

        await().atMost(LONG).until(() -> hooks.received("/webhook").size() >= 2
                && hooks.received("/slack").size() >= 2);
        await().atMost(LONG).until(() -> environment().path("health").path("state").asText().equals("passing"));
        List<HookReceiver.Received> webhook = hooks.received("/webhook");
        assertThat(webhook).extracting(r -> r.json().path("event").asText())
                .containsExactly("monitor_failed", "monitor_recovered");
        JsonNode failed = webhook.get(0).json();
        assertThat(failed.path("pipeline").asText()).isEqualTo("tts");
        assertThat(failed.path("environment").asText()).isEqualTo("production");
        assertThat(failed.path("release").asInt()).isEqualTo(1);
        assertThat(failed.path("message").asText()).contains("failed 3 times in a row").contains("HTTP 503");
        assertThat(hooks.received("/slack")).extracting(r -> r.json().path("text").asText())
                .satisfiesExactly(t -> assertThat(t).contains("[tts] production release 1: monitor failed"),
                        t -> assertThat(t).contains("[tts] production release 1: monitor recovered"));
        assertThat(DeployedReleases.pid(port)).as("on_failure: alert leaves the process alone").isEqualTo(pid);

        for (HookReceiver.Received r : webhook) {
            assertThat(r.signature()).as("signed with the key from the vault").isEqualTo("sha256=" + hmac(r.body()));
        }
        await().atMost(LONG).until(() -> smtp.getReceivedMessages().length >= 2);
        assertThat(smtp.getReceivedMessages()).extracting(m -> m.getSubject())
                .satisfiesExactly(t -> assertThat(t).contains("monitor failed"), t -> assertThat(t).contains(
                        "monitor recovered"));
        assertThat(smtp.getReceivedMessages()[0].getAllRecipients()[0].toString()).isEqualTo("oncall@example.com");

        JsonNode deliveries = server.get("/api/notifications?pipeline=tts").json();
        assertThat(deliveries.findValuesAsText("status")).containsOnly("delivered").hasSize(6);
        assertThat(deliveries.toString()).doesNotContain(HOOK_KEY);
        assertThat(server.get("/pipelines/tts/environments").body()).contains("data-event=\"monitor_recovered\"");
    }
}
