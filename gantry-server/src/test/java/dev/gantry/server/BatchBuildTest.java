package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code batch} step built by the server from a git repository, against a real service on loopback: the
 * build's JSON and page show its figures, and {@code /metrics} counts its items and their latencies.
 */
class BatchBuildTest {

    private static final int ITEMS = 40;

    @TempDir
    Path tmp;
    GitRepo repo;
    ServerFixture server;
    HttpServer service;
    final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() throws Exception {
        service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        service.createContext("/tts", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            // every fifth line fails once with a 503: retried, and counted as a retry
            boolean fail = body.contains("5\"") && failedOnce.add(body);
            byte[] answer = fail ? "busy".getBytes(StandardCharsets.UTF_8) : ("RIFF" + body).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", fail ? "text/plain" : "audio/wav");
            ex.sendResponseHeaders(fail ? 503 : 200, answer.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(answer);
            }
        });
        service.start();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < ITEMS; i++) {
            lines.append("{\"name\": \"s").append(i).append("\", \"text\": \"Sentence ").append(i).append("\"}\n");
        }
        lines.append("{\"name\": \"broken\"\n");
        repo = new GitRepo(tmp.resolve("repo"));
        repo.commit("book.jsonl", lines.toString(), "A book");
        repo.commit("gantry.yml", """
                name: book
                jobs:
                  render:
                    steps:
                      - batch:
                          input: book.jsonl
                          url: http://127.0.0.1:%d
                          request: {path: /tts, body: {text: "{{ .text }}"}}
                          id: name
                          output: out
                          concurrency: 4
                """.formatted(service.getAddress().getPort()), "Render the book");
        server = new ServerFixture(tmp.resolve("data"));
    }

    @AfterEach
    void stop() {
        server.close();
        repo.close();
        service.stop(0);
    }

    @Test
    void aBatchStepsFiguresReachTheBuildItsPageAndTheMetrics() {
        server.addPipeline(repo.dir(), "book", "1h", null);
        JsonNode built = server.awaitBuild("book", 1, Duration.ofMinutes(2));
        assertThat(built.path("build").path("status").asText()).as(built.toString()).isEqualTo("succeeded");
        JsonNode batch = built.path("batches").path(0);
        assertThat(batch.path("step").asText()).isEqualTo("batch book.jsonl");
        assertThat(batch.path("state").asText()).isEqualTo("finished");
        assertThat(batch.path("succeeded").asLong()).isEqualTo(ITEMS);
        assertThat(batch.path("failed").asLong()).isEqualTo(1);
        assertThat(batch.path("retries").asLong()).isEqualTo(failedOnce.size()).isPositive();

        String page = server.get("/pipelines/book/builds/1").body();
        assertThat(page).contains("batch book.jsonl", "p50", "p95", "p99", "<svg");

        String metrics = server.get("/metrics").body();
        assertThat(metrics).contains("gantry_batch_items_total{outcome=\"succeeded\",pipeline=\"book\"} " + ITEMS + ".0",
                "gantry_batch_items_total{outcome=\"failed\",pipeline=\"book\"} 1.0",
                "gantry_batch_retries_total{pipeline=\"book\"} " + failedOnce.size() + ".0");
        Matcher count = Pattern.compile("gantry_batch_item_latency_seconds_count\\{pipeline=\"book\"} (\\S+)")
                .matcher(metrics);
        assertThat(count.find()).as(metrics).isTrue();
        assertThat(Double.parseDouble(count.group(1))).isEqualTo(ITEMS);
    }
}
