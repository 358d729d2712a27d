package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} scraped over HTTP after real builds of a git repository: the names, types, labels and values
 * of builds, tasks (by job, not by shard), the queue, triggers, logs, caches, notifications, running tasks, the
 * store's pool and the JVM; and, where Debian's promtool is installed, {@code promtool check metrics} clean.
 */
class MetricsScrapeTest {

    @TempDir
    Path tmp;
    GitRepo repo;
    ServerFixture server;
    HookReceiver hooks;

    @BeforeEach
    void start() throws IOException {
        repo = new GitRepo(tmp.resolve("repo"));
        server = new ServerFixture(tmp.resolve("data"));
        hooks = new HookReceiver();
    }

    @AfterEach
    void stop() {
        server.close();
        repo.close();
        hooks.close();
    }

    private String scrapeAfterTwoBuilds() {
        repo.commit("gantry.yml", """
                notify:
                  - webhook: {url: "%s", on: [all]}
                jobs:
                  unit:
                    parallelism: 2
                    steps:
                      - restore_cache: {keys: ["deps-{{ checksum \\"gantry.yml\\" }}"]}
                      - run: mkdir -p deps && echo jar > deps/lib.jar && for i in 1 2 3; do echo "line $i of $GANTRY_TASK"; done
                      - save_cache: {key: "deps-{{ checksum \\"gantry.yml\\" }}", paths: [deps]}
                  slow:
                    steps: [{run: "head -c 30000000 /dev/zero | tail -c 1 >/dev/null; sleep 4"}]
                  broken:
                    needs: [unit]
                    steps: [{run: exit 3}]
                """.formatted(hooks.url("/hook")), "a pipeline with shards, caches and a failing job");
        server.addPipeline(repo.dir(), "metrics", "1h", null);
        // while the first build runs, its tasks' resources are gauges
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() ->
                value(server.get("/metrics").body(), "gantry_task_memory_bytes",
                        Map.of("pipeline", "metrics", "job", "slow", "scope", "task")) > 0);
        server.awaitBuild("metrics", 1, Duration.ofMinutes(2));
        assertThat(server.post("/api/pipelines/metrics/builds", "").status()).isEqualTo(201);
        server.awaitBuild("metrics", 2, Duration.ofMinutes(2));
        await().atMost(Duration.ofSeconds(30)).until(() -> hooks.received("/hook").size() >= 1);
        return server.get("/metrics").body();
    }

    @Test
    void realBuildsShowUpUnderBoundedLabelsWithTheirTypes() {
        String text = scrapeAfterTwoBuilds();
        Map<String, String> builds = Map.of("pipeline", "metrics", "outcome", "failed");
        assertThat(type(text, "gantry_build_duration_seconds")).isEqualTo("histogram");
        assertThat(value(text, "gantry_build_duration_seconds_count", builds)).isEqualTo(2);
        assertThat(type(text, "gantry_task_duration_seconds")).isEqualTo("histogram");
        assertThat(value(text, "gantry_task_duration_seconds_count",
                Map.of("pipeline", "metrics", "job", "unit", "outcome", "succeeded"))).isEqualTo(4);
        assertThat(value(text, "gantry_task_duration_seconds_count",
                Map.of("pipeline", "metrics", "job", "broken", "outcome", "failed"))).isEqualTo(2);
        assertThat(text).doesNotContain("job=\"unit[0]\"", "job=\"unit[1]\"");
        assertThat(value(text, "gantry_build_queue_wait_seconds_count", Map.of("pipeline", "metrics")))
                .isEqualTo(2);
        assertThat(value(text, "gantry_triggers_total", Map.of("trigger", "manual"))).isEqualTo(1);
        assertThat(type(text, "gantry_log_lines_total")).isEqualTo("counter");
        assertThat(value(text, "gantry_log_lines_total", Map.of("pipeline", "metrics"))).isGreaterThanOrEqualTo(12);
        assertThat(value(text, "gantry_log_ingested_bytes_total", Map.of("pipeline", "metrics")))
                .isGreaterThan(100);
        // the first build's shards miss and save (one wins, the other finds the key taken); the second's hit
        assertThat(value(text, "gantry_cache_operations_total", Map.of("pipeline", "metrics", "action", "missed")))
                .isEqualTo(2);
        assertThat(value(text, "gantry_cache_operations_total", Map.of("pipeline", "metrics", "action", "restored")))
                .isEqualTo(2);
        assertThat(value(text, "gantry_cache_transferred_bytes_total",
                Map.of("pipeline", "metrics", "action", "restored"))).isGreaterThan(0);
        assertThat(type(text, "gantry_cache_duration_seconds")).isEqualTo("histogram");
        assertThat(value(text, "gantry_notifications_total", Map.of("channel", "webhook", "result", "delivered")))
                .isEqualTo(hooks.received("/hook").size());
        assertThat(value(text, "gantry_tasks_running", Map.of())).isEqualTo(0);
        assertThat(text).doesNotContain("gantry_task_memory_bytes{"); // nothing runs any more
        assertThat(value(text, "gantry_db_connections_max", Map.of())).isEqualTo(16);
        assertThat(type(text, "gantry_db_connections")).isEqualTo("gauge");
        assertThat(type(text, "jvm_memory_used_bytes")).isEqualTo("gauge");
        assertThat(type(text, "process_uptime_seconds")).isEqualTo("gauge");
        assertThat(text).doesNotContainPattern("commit=|build=|shard=");
    }

    @Test
    void promtoolFindsNothingToSay() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/promtool")),
                "promtool is not installed (Debian: apt-get install prometheus); the check is skipped");
        String text = scrapeAfterTwoBuilds();
        Process p = new ProcessBuilder("/usr/bin/promtool", "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as("promtool check metrics").isBlank();
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void theDashboardQueriesOnlyDocumentedMetricsAndTheScrapeHasTheBuildOnes() throws Exception {
        Path docs = Path.of("..", "docs");
        String dashboard = Files.readString(docs.resolve("grafana-dashboard.json"));
        String documented = Files.readString(docs.resolve("metrics.md"));
        Matcher m = Pattern.compile("\\b((?:gantry|jvm|process)_[a-z_]+)").matcher(dashboard);
        java.util.Set<String> used = new java.util.TreeSet<>();
        while (m.find()) {
            used.add(m.group(1).replaceAll("_(bucket|count|sum)$", ""));
        }
        assertThat(used).isNotEmpty();
        for (String name : used) {
            assertThat(documented).as("docs/metrics.md documents %s, which the dashboard queries", name)
                    .containsPattern("\\b" + Pattern.quote(name.replaceAll("_(total)$", "")));
        }
        String text = scrapeAfterTwoBuilds();
        for (String name : List.of("gantry_build_duration_seconds", "gantry_task_duration_seconds",
                "gantry_build_queue_wait_seconds", "gantry_cache_operations_total", "gantry_log_ingested_bytes_total")) {
            assertThat(used).contains(name);
            assertThat(names(text)).contains(name);
        }
    }

    static String type(String text, String name) {
        Matcher m = Pattern.compile("(?m)^# TYPE " + Pattern.quote(name) + " (\\S+)$").matcher(text);
        return m.find() ? m.group(1) : null;
    }

    /** The value of the series of {@code name} with exactly {@code labels}; -1 when there is none. */
    static double value(String text, String name, Map<String, String> labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{([^}]*)})? (\\S+)$").matcher(text);
        while (m.find()) {
            if (labels(m.group(1)).equals(labels)) {
                return Double.parseDouble(m.group(2));
            }
        }
        return -1;
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text != null) {
            Matcher m = Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(text);
            while (m.find()) {
                labels.put(m.group(1), m.group(2));
            }
        }
        return labels;
    }

    static List<String> names(String text) {
        return text.lines().filter(l -> l.startsWith("# TYPE ")).map(l -> l.split(" ")[2]).toList();
    }
}
