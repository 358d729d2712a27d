package dev.gantry.cli;

import static dev.gantry.cli.CliFixture.gantry;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The example's {@code audiobook} job exactly as {@code examples/tts-service/gantry.yml} writes it, on its chapter,
 * with the real TTS service (the jar comes ready-made instead of from the build job): every sentence rendered once
 * and checked, the five broken lines in errors.jsonl with their reasons, the chapter kept as an artifact.
 */
class TtsServiceAudiobookTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeEach
    void pipelineFromTheExample() throws Exception {
        Path jar = ServiceJar.write(Files.createDirectories(dir.resolve("prebuilt")).resolve("tts-service.jar"),
                "dev.gantry.examples.tts.TtsServer", List.of(dev.gantry.examples.tts.TtsServer.class,
                        com.sun.speech.freetts.Voice.class, ObjectMapper.class,
                        com.fasterxml.jackson.core.JsonFactory.class,
                        com.fasterxml.jackson.annotation.JsonAutoDetect.class));
        Path example = Path.of("../examples/tts-service");
        Files.createDirectories(dir.resolve("books"));
        Files.copy(example.resolve("books/chapter1.jsonl"), dir.resolve("books/chapter1.jsonl"));
        Map<String, Object> pipeline = map(new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(example.resolve("gantry.yml"))));
        Map<String, Object> jobs = new LinkedHashMap<>();
        jobs.put("build", Map.of("steps", List.of(
                Map.of("run", "mkdir -p target && cp '" + jar + "' target/tts-service.jar"),
                Map.of("persist", Map.of("root", "target", "paths", List.of("tts-service.jar"))))));
        jobs.put("audiobook", map(pipeline.get("jobs")).get("audiobook"));
        Files.writeString(dir.resolve("gantry.yml"), new Dump(DumpSettings.builder().build())
                .dumpToString(Map.of("name", pipeline.get("name"), "jobs", jobs)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object yaml) {
        return (Map<String, Object>) yaml;
    }

    @Test
    void theChapterIsRenderedOnceCheckedAndKeptWithItsBrokenLinesInErrors() throws Exception {
        var run = gantry("run", dir.toString(), "--no-color");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("batch: 216 succeeded, 5 failed, 0 skipped (done before) of 221");

        Path chapter = dir.resolve(".gantry/builds/1/artifacts/audiobook/chapter1/out/chapter1");
        List<JsonNode> results = lines(chapter.resolve("results.jsonl"));
        assertThat(results).hasSize(216);
        assertThat(results.stream().map(r -> r.get("id").asText())).doesNotHaveDuplicates();
        try (Stream<Path> wavs = Files.list(chapter)) {
            assertThat(wavs.filter(f -> f.toString().endsWith(".wav")).count()).isEqualTo(216);
        }
        List<JsonNode> errors = lines(chapter.resolve("errors.jsonl"));
        assertThat(errors).extracting(e -> e.get("kind").asText() + " at line " + e.get("line").asInt())
                .containsExactlyInAnyOrder("invalid_json at line 18", "missing_id at line 61",
                        "duplicate_id at line 96", "template at line 141", "http at line 181");
        assertThat(errors).filteredOn(e -> e.get("kind").asText().equals("http")).singleElement()
                .satisfies(e -> assertThat(e.get("message").asText()).contains("HTTP 400", "unknown emotion 'bored'"));
    }

    private static List<JsonNode> lines(Path file) throws Exception {
        return Files.readAllLines(file).stream().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(l, e);
            }
        }).toList();
    }
}
