package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a build leaves besides its log, through the API and on the build page: tests, shards, caches, artifacts. */
class BuildResultsTest {

    static final String PIPELINE = """
            name: rich
            jobs:
              unit:
                parallelism: 2
                steps:
                  - restore_cache:
                      keys: ['deps-{{ checksum "deps.txt" }}']
                  - run: mkdir -p deps && cp deps.txt deps/
                  - save_cache:
                      key: 'deps-{{ checksum "deps.txt" }}-{{ .Environment.GANTRY_NODE_INDEX }}'
                      paths: [deps]
                  - run: bash report.sh
                  - test_results: reports/*.xml
                  - artifacts: reports/*.xml
            """;

    static final String REPORT = """
            i=$GANTRY_NODE_INDEX
            mkdir -p reports
            secs=$([ "$i" = 0 ] && echo 1.5 || echo 0.5)
            cat > reports/TEST-shard$i.xml <<XML
            <testsuite name="Shard${i}Test" tests="2" failures="0">
              <testcase classname="com.example.Shard${i}Test" name="slow" time="$secs"/>
              <testcase classname="com.example.Shard${i}Test" name="fast" time="0.01"/>
            </testsuite>
            XML
            """;

    @TempDir
    Path tmp;
    GitRepo repo;
    ServerFixture server;

    @BeforeEach
    void start() {
        repo = new GitRepo(tmp.resolve("repo"));
        repo.commit("deps.txt", "numpy==2.1\n", "deps");
        repo.commit("report.sh", REPORT, "report");
        repo.commit("gantry.yml", PIPELINE, "pipeline");
        server = new ServerFixture(tmp.resolve("data"));
    }

    @AfterEach
    void stop() {
        server.close();
        repo.close();
    }

    @Test
    void testsShardsCachesAndArtifactsAreKeptAndShown() {
        server.addPipeline(repo.dir(), "rich", "1h", null);
        JsonNode first = server.awaitBuild("rich", 1, Duration.ofSeconds(60));
        assertThat(first.path("build").path("status").asText()).isEqualTo("succeeded");
        List<String> tasks = new ArrayList<>();
        first.path("build").path("tasks").forEach(t -> tasks.add(t.path("name").asText()));
        assertThat(tasks).hasSize(2);

        JsonNode tests = server.get("/api/pipelines/rich/builds/1/tests").json();
        assertThat(tests).hasSize(4);
        assertThat(tests.get(0).path("name").asText()).isEqualTo("slow");
        assertThat(tests.get(0).path("seconds").asDouble()).isEqualTo(1.5);

        JsonNode caches = server.get("/api/pipelines/rich/builds/1/caches").json();
        List<String> actions = new ArrayList<>();
        caches.forEach(c -> actions.add(c.path("action").asText()));
        assertThat(actions).containsOnly("missed", "saved").contains("missed", "saved");

        JsonNode artifacts = server.get("/api/pipelines/rich/builds/1/artifacts").json();
        assertThat(artifacts).hasSize(2);
        JsonNode a = artifacts.get(0);
        String url = "/api/pipelines/rich/builds/1/artifacts/" + enc(a.path("task").asText()) + "/"
                + a.path("name").asText() + "/" + a.path("path").asText();
        ServerFixture.Response file = server.get(url);
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.body()).contains("<testsuite", "Shard");
        assertThat(server.get("/api/pipelines/rich/builds/1/artifacts/" + enc(a.path("task").asText())
                + "/artifacts/..%2F..%2F..%2Fbuild.json").status()).isEqualTo(404);

        String page = server.get("/pipelines/rich/builds/1").body();
        assertThat(page).contains("id=\"tests\"", "4 tests, 0 failed", "id=\"caches\"", "id=\"artifacts\"",
                "TEST-shard0.xml", "id=\"shards\"", "no history");

        JsonNode rebuilt = server.post("/api/pipelines/rich/builds/1/rebuild", "").json();
        assertThat(server.awaitBuild("rich", rebuilt.path("number").asLong(), Duration.ofSeconds(60))
                .path("build").path("status").asText()).isEqualTo("succeeded");
        List<String> second = new ArrayList<>();
        server.get("/api/pipelines/rich/builds/2/caches").json().forEach(c -> second.add(c.path("action").asText()));
        assertThat(second).contains("restored", "exists");
        String secondPage = server.get("/pipelines/rich/builds/2").body();
        // the shards' predictions come from build 1's timings, as they stood when build 2 started
        assertThat(secondPage).contains("<td>1.51s</td><td>1.51s</td>", "<td>0.51s</td><td>0.51s</td>");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
