package dev.gantry.cli;

import static dev.gantry.cli.CliFixture.gantry;
import static dev.gantry.cli.CliFixture.gantryWithEnv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.core.audio.AudioMetrics;
import dev.gantry.core.audio.WavReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The example's staging deploy exactly as {@code examples/tts-service/gantry.yml} writes it (its environments and
 * its {@code deploy-staging} job, gate and all; only the stable port is a free one, and the jar comes ready-made
 * instead of from the build and test jobs), with real releases of the TTS service: a good release goes live; a
 * silent one ({@code TTS_SILENT=1}) passes readiness, fails the gate's audio check and is rolled back, while the
 * good release keeps answering with speech throughout.
 */
class TtsServiceDeployTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private int port;

    @BeforeEach
    void pipelineFromTheExample() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path jar = ServiceJar.write(Files.createDirectories(dir.resolve("prebuilt")).resolve("tts-service.jar"),
                "dev.gantry.examples.tts.TtsServer", List.of(dev.gantry.examples.tts.TtsServer.class,
                        com.sun.speech.freetts.Voice.class, ObjectMapper.class,
                        com.fasterxml.jackson.core.JsonFactory.class,
                        com.fasterxml.jackson.annotation.JsonAutoDetect.class));
        Map<String, Object> example = map(new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(Path.of("../examples/tts-service/gantry.yml"))));
        Map<String, Object> job = map(map(example.get("jobs")).get("deploy-staging"));
        job.put("needs", List.of("build"));
        map(map(job.get("deploy")).get("service")).put("port", port);

        Map<String, Object> jobs = new LinkedHashMap<>();
        jobs.put("build", Map.of("steps", List.of(
                Map.of("run", "mkdir -p target && cp '" + jar + "' target/tts-service.jar"),
                Map.of("persist", Map.of("root", "target", "paths", List.of("tts-service.jar"))))));
        jobs.put("deploy-staging", job);
        Map<String, Object> pipeline = new LinkedHashMap<>();
        pipeline.put("name", example.get("name"));
        pipeline.put("environments", example.get("environments"));
        pipeline.put("jobs", jobs);
        Files.writeString(dir.resolve("gantry.yml"), new Dump(DumpSettings.builder().build()).dumpToString(pipeline));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object yaml) {
        return (Map<String, Object>) yaml;
    }

    @AfterEach
    void nothingOfTheReleasesKeepsRunning() {
        var stop = gantry("deploy", "stop", "staging", dir.toString());
        List<ProcessHandle> left = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(dir.toString())).orElse(false)).toList();
        left.forEach(ProcessHandle::destroyForcibly);
        assertThat(left).as("processes of a release left after `gantry deploy stop staging`: " + stop.out()
                + stop.err()).isEmpty();
    }

    @Test
    void aSilentReleaseIsRolledBackWhileThePreviousOneKeepsSpeaking() throws Exception {
        var first = gantry("run", dir.toString(), "--branch", "main");
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(releases()).containsExactly(Map.entry(1, "live"));
        assertThat(voicedRatio(speak().body())).isGreaterThanOrEqualTo(0.2);

        List<HttpResponse<byte[]>> answers = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Thread listener = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    answers.add(speak());
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    failures.add(e);
                }
            }
        }, "listener");
        listener.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> !answers.isEmpty()
                || !failures.isEmpty());
        var second = gantryWithEnv(Map.of("TTS_SILENT", "1"), "run", dir.toString(), "--branch", "main");
        listener.interrupt();
        listener.join();

        assertThat(second.exitCode()).as(second.out() + second.err()).isEqualTo(1);
        assertThat(second.out()).contains("voiced_ratio is 0, below the minimum 0.200",
                "release 1 serves staging (rolled back)");
        Map<Integer, String> releases = releases();
        assertThat(releases).containsEntry(1, "live").containsEntry(2, "failed");
        assertThat(reason(2)).contains("voiced_ratio");
        Path candidate = dir.resolve(".gantry/environments/tts-service/staging/releases/2");
        assertThat(Files.readString(candidate.resolve("service.log")))
                .as("the failed candidate's own log, kept").contains("--silent: every answer will be silence");
        assertThat(Files.readString(candidate.resolve("gate.log"))).contains("voiced_ratio is 0");

        assertThat(failures).as("requests to the stable port that failed during the silent deploy").isEmpty();
        assertThat(answers).isNotEmpty().allSatisfy(a -> {
            assertThat(a.statusCode()).isEqualTo(200);
            assertThat(voicedRatio(a.body())).as("an answer during the silent deploy").isGreaterThanOrEqualTo(0.2);
        });
        assertThat(voicedRatio(speak().body())).as("release 1, after the rollback").isGreaterThanOrEqualTo(0.2);
    }

    private HttpResponse<byte[]> speak() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/tts"))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"Still speaking.\"}")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static double voicedRatio(byte[] wav) {
        try {
            return AudioMetrics.measure(WavReader.read("answer.wav", wav)).voicedRatio();
        } catch (Exception e) {
            throw new AssertionError("not a WAV: " + e.getMessage(), e);
        }
    }

    /** Release number to status, from {@code gantry releases staging --json}. */
    private Map<Integer, String> releases() throws Exception {
        Map<Integer, String> m = new TreeMap<>();
        for (JsonNode r : releasesJson()) {
            m.put(r.get("number").asInt(), r.get("status").asText());
        }
        return m;
    }

    private String reason(int number) throws Exception {
        List<String> reasons = new ArrayList<>();
        for (JsonNode r : releasesJson()) {
            if (r.get("number").asInt() == number) {
                reasons.add(r.path("reason").asText());
            }
        }
        return String.join("\n", reasons);
    }

    private JsonNode releasesJson() throws Exception {
        var r = gantry("releases", "staging", dir.toString(), "--json");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        return JSON.readTree(r.out());
    }
}
