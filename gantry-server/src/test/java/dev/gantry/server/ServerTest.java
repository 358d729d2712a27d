package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.server.trigger.WebhookSignatures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server end to end: real git repositories, real builds through the engine, real HTTP. */
class ServerTest {

    static final String PIPELINE = """
            name: demo
            jobs:
              build:
                steps:
                  - run: echo "building $(cat version.txt)"
              test:
                needs: [build]
                steps:
                  - run: printf '\\033[32mgreen\\033[0m ok\\n'
            """;

    @TempDir
    Path tmp;
    GitRepo repo;
    ServerFixture server;

    @BeforeEach
    void start() {
        repo = new GitRepo(tmp.resolve("repo"));
        repo.commit("gantry.yml", PIPELINE, "Add the pipeline");
        repo.commit("version.txt", "1\n", "Version 1");
        server = new ServerFixture(tmp.resolve("data"));
    }

    @AfterEach
    void stop() {
        server.close();
        repo.close();
    }

    @Test
    void addingAPipelineBuildsItsHeadAndEachNewCommitByPolling() {
        server.addPipeline(repo.dir(), "demo", "1s", null);
        JsonNode first = server.awaitBuild("demo", 1, Duration.ofMinutes(2));
        assertThat(first.path("build").path("status").asText()).isEqualTo("succeeded");
        assertThat(first.path("build").path("trigger").asText()).isEqualTo("poll");
        assertThat(first.path("build").path("message").asText()).isEqualTo("Version 1");
        assertThat(first.path("build").path("author").asText()).isEqualTo("Ada Lovelace <ada@example.com>");
        assertThat(first.path("steps").path("build").get(0).path("status").asText()).isEqualTo("succeeded");

        String sha = repo.commit("version.txt", "2\n", "Version 2");
        JsonNode second = server.awaitBuild("demo", 2, Duration.ofMinutes(2));
        assertThat(second.path("build").path("commit").asText()).isEqualTo(sha);
        assertThat(second.path("build").path("branch").asText()).isEqualTo("main");
        JsonNode log = server.get("/api/pipelines/demo/builds/2/logs/build").json();
        assertThat(log.path("lines").toString()).contains("building 2");
        assertThat(server.buildCount("demo")).isEqualTo(2);
    }

    @Test
    void aNewTagTriggersABuildOfTheTag() {
        server.addPipeline(repo.dir(), "demo", "1s", null);
        server.awaitBuild("demo", 1, Duration.ofMinutes(2));
        repo.tag("v1.0");
        JsonNode tagged = server.awaitBuild("demo", 2, Duration.ofMinutes(2));
        assertThat(tagged.path("build").path("tag").asText()).isEqualTo("v1.0");
        assertThat(tagged.path("build").path("status").asText()).isEqualTo("succeeded");
        double checks = server.checks("demo");
        await().atMost(Duration.ofMinutes(2)).until(() -> server.checks("demo") >= checks + 2);
        assertThat(server.buildCount("demo")).as("later checks do not build the tag again").isEqualTo(2);
    }

    @Test
    void webhooksWithAGoodSignatureTriggerAtOnceAndBadOnesAreRefused() {
        server.addPipeline(repo.dir(), "demo", "1h", "s3cret");
        server.awaitBuild("demo", 1, Duration.ofMinutes(2));
        String sha = repo.commit("version.txt", "2\n", "Version 2");
        byte[] body = "{\"ref\":\"refs/heads/main\"}".getBytes(StandardCharsets.UTF_8);
        String good = "sha256=" + HexFormat.of().formatHex(WebhookSignatures.hmac("s3cret", body));
        String bad = "sha256=" + HexFormat.of().formatHex(WebhookSignatures.hmac("guess", body));

        ServerFixture.Response refused = server.post("/api/webhooks/github", new String(body, StandardCharsets.UTF_8),
                "X-Hub-Signature-256", bad, "X-GitHub-Event", "push");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().path("message").asText()).contains("bad signature");
        ServerFixture.Response unsigned = server.post("/api/webhooks/github", new String(body, StandardCharsets.UTF_8));
        assertThat(unsigned.status()).isEqualTo(401);
        assertThat(server.post("/api/webhooks/gitlab", "{}", "X-Gitlab-Token", "wrong").status()).isEqualTo(401);
        assertThat(server.log()).contains("webhook github refused", "bad signature", "no X-Hub-Signature-256 header",
                "webhook gitlab refused").doesNotContain("webhook github accepted", "webhook gitlab accepted");

        ServerFixture.Response accepted = server.post("/api/webhooks/github", new String(body, StandardCharsets.UTF_8),
                "X-Hub-Signature-256", good, "X-GitHub-Event", "push");
        assertThat(accepted.status()).isEqualTo(202);
        JsonNode second = server.awaitBuild("demo", 2, Duration.ofMinutes(2));
        assertThat(second.path("build").path("commit").asText()).isEqualTo(sha);
        assertThat(second.path("build").path("trigger").asText()).isEqualTo("webhook");

        String third = repo.commit("version.txt", "3\n", "Version 3");
        assertThat(server.post("/api/webhooks/gitlab", "{}", "X-Gitlab-Token", "s3cret").status()).isEqualTo(202);
        assertThat(server.awaitBuild("demo", 3, Duration.ofMinutes(2)).path("build").path("commit").asText())
                .isEqualTo(third);
        assertThat(server.get("/metrics").body()).contains("gantry_webhooks_total{outcome=\"refused\",provider=\"github\"} 2.0");
    }

    @Test
    void aReplayedSignedWebhookIsAnsweredAsADuplicateAndTriggersNothing() {
        server.addPipeline(repo.dir(), "demo", "1h", "s3cret");
        server.awaitBuild("demo", 1, Duration.ofMinutes(2));
        byte[] body = "{\"ref\":\"refs/heads/main\"}".getBytes(StandardCharsets.UTF_8);
        String signature = "sha256=" + HexFormat.of().formatHex(WebhookSignatures.hmac("s3cret", body));
        String json = new String(body, StandardCharsets.UTF_8);
        repo.commit("version.txt", "2\n", "Version 2");
        ServerFixture.Response first = server.post("/api/webhooks/github", json, "X-Hub-Signature-256", signature,
                "X-GitHub-Event", "push", "X-GitHub-Delivery", "d-1");
        assertThat(first.status()).isEqualTo(202);
        assertThat(server.awaitBuild("demo", 2, Duration.ofMinutes(2)).path("build").path("trigger").asText())
                .isEqualTo("webhook");

        String third = repo.commit("version.txt", "3\n", "Version 3");
        ServerFixture.Response replay = server.post("/api/webhooks/github", json, "X-Hub-Signature-256", signature,
                "X-GitHub-Event", "push", "X-GitHub-Delivery", "d-1");
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json().path("duplicate").asBoolean()).isTrue();
        assertThat(replay.json().path("message").asText()).contains("duplicate delivery d-1");
        // the delivery id is not signed: the same signed body under another id, or none, is the same replay
        assertThat(server.post("/api/webhooks/github", json, "X-Hub-Signature-256", signature, "X-GitHub-Event",
                "push", "X-GitHub-Delivery", "d-forged").json().path("duplicate").asBoolean()).isTrue();
        assertThat(server.post("/api/webhooks/github", json, "X-Hub-Signature-256", signature, "X-GitHub-Event",
                "push").json().path("duplicate").asBoolean()).isTrue();
        ServerFixture.Response gitlab = server.post("/api/webhooks/gitlab", "{}", "X-Gitlab-Token", "s3cret",
                "X-Gitlab-Event-UUID", "g-1");
        assertThat(gitlab.status()).isEqualTo(202);
        assertThat(server.post("/api/webhooks/gitlab", "{}", "X-Gitlab-Token", "s3cret", "X-Gitlab-Event-UUID", "g-1")
                .json().path("duplicate").asBoolean()).isTrue();
        JsonNode built = server.awaitBuild("demo", 3, Duration.ofMinutes(2));
        assertThat(built.path("build").path("commit").asText()).isEqualTo(third);
        assertThat(server.log()).containsOnlyOnce("delivery d-1)").containsOnlyOnce("delivery g-1)")
                .contains("webhook github delivery d-1 ignored: a duplicate");
        assertThat(server.get("/metrics").body())
                .contains("gantry_webhooks_total{outcome=\"duplicate\",provider=\"github\"} 3.0",
                        "gantry_webhooks_total{outcome=\"duplicate\",provider=\"gitlab\"} 1.0");
    }

    @Test
    void overlongFieldsAreRefusedUpFrontNamingTheFieldNeverEchoingTheValue() {
        String secret = "S".repeat(256);
        ServerFixture.Response r = server.post("/api/pipelines", "{\"repository\":\"" + repo.dir()
                + "\",\"check_every\":\"1h\",\"webhook_secret\":\"" + secret + "\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("message").asText()).contains("'webhook_secret' is too long", "at most 255")
                .doesNotContain(secret);
        ServerFixture.Response branch = server.post("/api/pipelines", "{\"repository\":\"" + repo.dir()
                + "\",\"branch\":\"" + "b".repeat(300) + "\"}");
        assertThat(branch.status()).isEqualTo(400);
        assertThat(branch.json().path("message").asText())
                .contains("'branch' is too long: 300 characters, at most 255");
        assertThat(server.log()).doesNotContain(secret).doesNotContain("INSERT");
        assertThat(server.get("/api/pipelines").json()).isEmpty();
    }

    @Test
    void checkEveryBelowASecondIsRefused() {
        ServerFixture.Response r = server.post("/api/pipelines", "{\"repository\":\"" + repo.dir()
                + "\",\"check_every\":\"1ms\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("message").asText()).contains("check_every '1ms' is too short", "1s");
    }

    @Test
    void pollingGoesOnAfterAPollFails() throws Exception {
        server.addPipeline(repo.dir(), "demo", "1s", null);
        server.awaitBuild("demo", 1, Duration.ofMinutes(2));
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(server.jdbcUrl());
             java.sql.Statement sql = db.createStatement()) {
            sql.execute("ALTER TABLE pipelines RENAME TO pipelines_away");
            await().atMost(Duration.ofMinutes(2)).until(() -> server.log().contains("polling failed"));
            sql.execute("ALTER TABLE pipelines_away RENAME TO pipelines");
        }
        String sha = repo.commit("version.txt", "2\n", "Version 2");
        JsonNode second = server.awaitBuild("demo", 2, Duration.ofMinutes(2));
        assertThat(second.path("build").path("commit").asText()).isEqualTo(sha);
        assertThat(second.path("build").path("trigger").asText()).isEqualTo("poll");
    }

    @Test
    void aPipelineThatOverflowsTheLoaderErrorsItsBuildAndFreesTheSlot() {
        server.close();
        server = new ServerFixture(tmp.resolve("data-one"), 1);
        server.addPipeline(repo.dir(), "demo", "1s", null);
        server.awaitBuild("demo", 1, Duration.ofMinutes(2));
        int depth = 20_000;
        repo.commit("gantry.yml", PIPELINE + "    env:\n      DEEP: " + "[".repeat(depth) + "]".repeat(depth) + "\n",
                "Nest deeply");
        JsonNode deep = server.awaitBuild("demo", 2, Duration.ofMinutes(2));
        assertThat(deep.path("build").path("status").asText()).isEqualTo("errored");
        assertThat(server.get("/api/pipelines/demo/builds/2/logs/setup").json().path("lines").toString())
                .isNotEqualTo("[]");
        assertThat(server.post("/api/pipelines/demo/builds/2/cancel", "").status()).isEqualTo(409);
        repo.commit("gantry.yml", PIPELINE, "Flatten");
        assertThat(server.awaitBuild("demo", 3, Duration.ofMinutes(2)).path("build").path("status").asText())
                .as("the slot is free again").isEqualTo("succeeded");
        await().atMost(Duration.ofMinutes(1))
                .until(() -> server.get("/metrics").body().contains("gantry_builds_running 0.0"));
    }

    @Test
    void twoBuildsOfASerialJobNeverOverlap() throws Exception {
        Path trace = tmp.resolve("trace.txt");
        repo.commit("gantry.yml", """
                name: serial
                jobs:
                  deploy:
                    serial: true
                    steps:
                      - run: echo "start $GANTRY_BUILD $(date +%s%N)" >> TRACE; sleep 1; echo "end $GANTRY_BUILD $(date +%s%N)" >> TRACE
                """.replace("TRACE", trace.toString()), "A serial deploy");
        server.addPipeline(repo.dir(), "serial", "1h", null);
        await().atMost(Duration.ofMinutes(2)).until(() -> server.buildCount("serial") == 1);
        assertThat(server.post("/api/pipelines/serial/builds", "").status()).isEqualTo(201);
        assertThat(server.post("/api/pipelines/serial/builds", "").status()).isEqualTo(201);
        for (int n = 1; n <= 3; n++) {
            assertThat(server.awaitBuild("serial", n, Duration.ofMinutes(2)).path("build").path("status").asText())
                    .isEqualTo("succeeded");
        }
        List<long[]> spans = new ArrayList<>();
        List<String> lines = Files.readAllLines(trace);
        for (int n = 1; n <= 3; n++) {
            String b = " " + n + " ";
            long s = Long.parseLong(lines.stream().filter(l -> l.startsWith("start" + b)).findFirst().orElseThrow()
                    .split(" ")[2]);
            long e = Long.parseLong(lines.stream().filter(l -> l.startsWith("end" + b)).findFirst().orElseThrow()
                    .split(" ")[2]);
            spans.add(new long[] {s, e});
        }
        for (int i = 0; i < spans.size(); i++) {
            for (int j = i + 1; j < spans.size(); j++) {
                boolean overlap = spans.get(i)[0] < spans.get(j)[1] && spans.get(j)[0] < spans.get(i)[1];
                assertThat(overlap).as("builds %d and %d of a serial job overlapped", i + 1, j + 1).isFalse();
            }
        }
        assertThat(spans.get(1)[0]).as("the older build goes first").isLessThan(spans.get(2)[0]);
    }

    @Test
    void theApiPagesFiltersAndAnswersErrorsAsJson() {
        server.addPipeline(repo.dir(), "demo", "1h", null);
        server.awaitBuild("demo", 1, Duration.ofMinutes(2));
        server.post("/api/pipelines/demo/builds", "");
        server.awaitBuild("demo", 2, Duration.ofMinutes(2));

        JsonNode page = server.get("/api/builds?pipeline=demo&limit=1&offset=1").json();
        assertThat(page.path("total").asLong()).isEqualTo(2);
        assertThat(page.path("builds").get(0).path("number").asLong()).isEqualTo(1);
        assertThat(server.get("/api/builds?status=failed&pipeline=demo").json().path("total").asLong()).isZero();

        JsonNode lines = server.get("/api/pipelines/demo/builds/2/logs/test?from=0&limit=5").json();
        assertThat(lines.path("lines").get(0).asText()).isEqualTo("\u001b[32mgreen\u001b[0m ok");

        ServerFixture.Response missing = server.get("/api/pipelines/demo/builds/99");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("message").asText()).isEqualTo("build demo #99 not found");
        assertThat(server.get("/api/builds?limit=0").status()).isEqualTo(400);
        assertThat(server.get("/api/nothing").json().path("message").asText()).contains("no such endpoint");
        ServerFixture.Response bad = server.post("/api/pipelines", "{\"repository\":\"" + tmp.resolve("nope") + "\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("message").asText()).contains("no repository at");
        ServerFixture.Response notJson = server.post("/api/pipelines", "{not json");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().path("message").asText()).startsWith("the body is not valid JSON (line 1, column");
        ServerFixture.Response wrongType = server.post("/api/pipelines", "{\"repository\": {\"x\": 1}}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().path("message").asText()).isEqualTo("'repository' should be a string");
        ServerFixture.Response misspelt = server.post("/api/pipelines",
                "{\"repository\":\"" + repo.dir() + "\",\"chek_every\":\"5s\"}");
        assertThat(misspelt.status()).isEqualTo(400);
        assertThat(misspelt.json().path("message").asText()).startsWith("unknown key 'chek_every' (did you mean"
                + " 'check_every'?)");
        assertThat(server.post("/api/pipelines/demo/builds/1/cancel", "").status()).isEqualTo(409);

        JsonNode rebuilt = server.post("/api/pipelines/demo/builds/1/rebuild", "").json();
        assertThat(rebuilt.path("number").asLong()).isEqualTo(3);
        assertThat(rebuilt.path("trigger").asText()).isEqualTo("rebuild");
        server.awaitBuild("demo", 3, Duration.ofMinutes(2));
    }

    @Test
    void theLiveLogStreamResumesAfterTheLastEventIdAndEnds() throws Exception {
        repo.commit("gantry.yml", "jobs:\n  count:\n    steps:\n      - run: for i in $(seq 1 30); do echo n$i; done\n",
                "Count");
        server.addPipeline(repo.dir(), "count", "1h", null);
        server.awaitBuild("count", 1, Duration.ofMinutes(2));
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url(
                        "/pipelines/count/builds/1/tasks/count/stream?from=0"))).header("Accept", "text/event-stream")
                        .header("Last-Event-ID", "25").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        java.util.regex.Matcher data = java.util.regex.Pattern.compile("id: 30\nevent: lines\ndata: (.*)\n")
                .matcher(r.body());
        assertThat(data.find()).as(r.body()).isTrue();
        JsonNode lines = ServerFixture.JSON.readTree(data.group(1));
        assertThat(lines.findValuesAsText("html")).containsExactly("n26", "n27", "n28", "n29", "n30");
        long started = java.time.Instant.parse(server.get("/api/pipelines/count/builds/1").json().path("build")
                .path("tasks").get(0).path("started_at").asText()).toEpochMilli();
        assertThat(lines.findValues("at")).allSatisfy(at -> assertThat(at.asLong()).as("when it was printed")
                .isGreaterThanOrEqualTo(started - 1000).isLessThan(System.currentTimeMillis() + 1000));
        assertThat(r.body()).doesNotContain("n25\"").contains("event: end");
    }

    @Test
    void anInvalidPipelineFileIsRefusedWhenAddedAndErrorsABuildLater() {
        repo.commit("gantry.yml", "jobs:\n  a:\n    stepz: []\n", "Break it");
        ServerFixture.Response refused = server.post("/api/pipelines",
                "{\"repository\":\"" + repo.dir() + "\",\"check_every\":\"1s\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("message").asText()).contains("gantry.yml:3:5", "did you mean 'steps'");

        repo.commit("gantry.yml", PIPELINE, "Fix it");
        server.addPipeline(repo.dir(), "demo", "1s", null);
        server.awaitBuild("demo", 1, Duration.ofMinutes(2));
        repo.commit("gantry.yml", "jobs: [", "Break it again");
        JsonNode errored = server.awaitBuild("demo", 2, Duration.ofMinutes(2));
        assertThat(errored.path("build").path("status").asText()).isEqualTo("errored");
        assertThat(server.get("/api/pipelines/demo/builds/2/logs/setup").json().path("lines").toString())
                .contains("the pipeline file is invalid");
    }

    @Test
    void manualBuildsAndRebuildsCountAsTriggers() {
        server.addPipeline(repo.dir(), "demo", "1h", null);
        server.awaitBuild("demo", 1, Duration.ofMinutes(2));
        assertThat(server.post("/api/pipelines/demo/builds", "").status()).isEqualTo(201);
        assertThat(server.post("/api/pipelines/demo/builds/1/rebuild", "").status()).isEqualTo(201);
        assertThat(server.get("/metrics").body()).contains("gantry_triggers_total{trigger=\"poll\"} 1.0",
                "gantry_triggers_total{trigger=\"manual\"} 1.0", "gantry_triggers_total{trigger=\"rebuild\"} 1.0");
        server.awaitBuild("demo", 3, Duration.ofMinutes(2));
    }

    @Test
    void buildsQueueWhileTheExecutorIsBusyAndAQueuedOneCanBeCancelled() throws Exception {
        server.close();
        server = new ServerFixture(tmp.resolve("data-one"), 1);
        Path gate = tmp.resolve("gate");
        repo.commit("gantry.yml", "jobs:\n  nap:\n    steps:\n      - run: while [ ! -f " + gate
                + " ]; do sleep 0.05; done\n", "Nap until the test opens the gate");
        server.addPipeline(repo.dir(), "nap", "1h", null);
        await().atMost(Duration.ofMinutes(2)).until(() -> server.buildCount("nap") == 1);
        JsonNode second = server.post("/api/pipelines/nap/builds", "").json();
        JsonNode third = server.post("/api/pipelines/nap/builds", "").json();
        assertThat(second.path("status").asText()).isEqualTo("queued");
        assertThat(server.get("/api/pipelines/nap/builds/2").json().path("build").path("status").asText())
                .isEqualTo("queued");
        assertThat(server.post("/api/pipelines/nap/builds/" + third.path("number").asLong() + "/cancel", "")
                .status()).isEqualTo(202);
        assertThat(server.get("/api/pipelines/nap/builds/3").json().path("build").path("status").asText())
                .isEqualTo("cancelled");
        assertThat(server.get("/metrics").body()).contains("gantry_builds_queued 1.0", "gantry_builds_running 1.0");
        Files.writeString(gate, "open");
        assertThat(server.awaitBuild("nap", 1, Duration.ofMinutes(2)).path("build").path("status").asText())
                .isEqualTo("succeeded");
        assertThat(server.awaitBuild("nap", 2, Duration.ofMinutes(2)).path("build").path("status").asText())
                .isEqualTo("succeeded");
        assertThat(server.get("/metrics").body()).contains("gantry_builds_finished_total{state=\"succeeded\"} 2.0");
    }

    @Test
    void cancellingARunningBuildStopsIt() {
        repo.commit("gantry.yml", "jobs:\n  slow:\n    steps:\n      - run: echo started; sleep 60\n", "Slow");
        server.addPipeline(repo.dir(), "slow", "1h", null);
        await().atMost(Duration.ofMinutes(2)).until(() -> server.get("/api/pipelines/slow/builds/1/logs/slow")
                .body().contains("started"));
        assertThat(server.post("/api/pipelines/slow/builds/1/cancel", "").status()).isEqualTo(202);
        JsonNode b = server.awaitBuild("slow", 1, Duration.ofMinutes(2));
        assertThat(b.path("build").path("status").asText()).isEqualTo("cancelled");
    }
}
