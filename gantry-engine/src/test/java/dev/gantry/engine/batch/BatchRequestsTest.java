package dev.gantry.engine.batch;

import static dev.gantry.engine.batch.BatchFixture.journal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.core.batch.BatchSpec;
import dev.gantry.engine.batch.LoopbackService.Answer;
import dev.gantry.engine.batch.output.OutputDirectory;
import dev.gantry.engine.cancel.Cancellation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What goes over the wire: OpenAI-Batch lines as they are, and JSON answers kept in the result line. */
class BatchRequestsTest {

    @TempDir
    Path dir;

    @Test
    void refusesAnOutputAnotherRunIsWriting() throws Exception {
        BatchFixture.writeInput(dir, List.of(BatchFixture.line("a")));
        try (var held = new OutputDirectory(dir.resolve("out")).lock()) {
            assertThat(held).isNotNull();
            BatchResult result = BatchFixture.run(BatchFixture.spec(1, 0, Duration.ofSeconds(5), false), dir,
                    BatchTarget.url(java.net.URI.create("http://127.0.0.1:1")), new BatchFixture.Recorder(),
                    Cancellation.root());
            assertThat(result.failure()).isEqualTo("the output out is in use by another batch run; wait for it to"
                    + " end (or stop it) and run this one again");
        }
        assertThat(dir.resolve("out/results.jsonl")).doesNotExist();
    }

    @Test
    void sendsOpenAiBatchLinesAsTheyAreAndKeepsJsonAnswersInResults() throws Exception {
        BatchFixture.writeInput(dir, List.of(
                "{\"custom_id\":\"r1\",\"method\":\"POST\",\"url\":\"/v1/render/r1\",\"body\":{\"input\":\"hello\",\"n\":2}}",
                "{\"custom_id\":\"r2\",\"url\":\"/v1/render/r2\",\"body\":{\"input\":\"world\"}}",
                "{\"custom_id\":\"r3\",\"method\":\"POST\",\"body\":{\"input\":\"nowhere\"}}"));
        Map<String, String> received = new ConcurrentHashMap<>();
        try (LoopbackService service = new LoopbackService((id, attempt, body) -> {
            String text = new String(body);
            received.put(id, text);
            return new Answer(200, "application/json; charset=utf-8", ("{\"echo\":" + text + "}").getBytes());
        })) {
            BatchSpec spec = new BatchSpec("in.jsonl", null, BatchSpec.DEFAULT_ID, "out", 2, 1, Duration.ofSeconds(5),
                    BatchSpec.Flush.STANDARD, false);
            BatchResult result = BatchFixture.run(spec, dir, BatchTarget.url(service.base()),
                    new BatchFixture.Recorder(), Cancellation.root());
            assertThat(result.complete()).isTrue();
        }
        assertThat(received).containsOnlyKeys("r1", "r2");
        assertThat(BatchFixture.JSON.readTree(received.get("r1")))
                .isEqualTo(BatchFixture.JSON.readTree("{\"input\":\"hello\",\"n\":2}"));
        List<JsonNode> results = journal(dir, BatchSpec.RESULTS);
        assertThat(results).extracting(r -> r.get("id").asText()).containsExactlyInAnyOrder("r1", "r2");
        JsonNode r2 = results.stream().filter(r -> r.get("id").asText().equals("r2")).findFirst().orElseThrow();
        assertThat(r2.get("body").get("echo").get("input").asText()).isEqualTo("world");
        assertThat(r2.has("output")).isFalse();
        assertThat(journal(dir, BatchSpec.ERRORS)).singleElement().satisfies(e -> {
            assertThat(e.get("id").asText()).isEqualTo("r3");
            assertThat(e.get("line").asInt()).isEqualTo(3);
            assertThat(e.get("kind").asText()).isEqualTo("template");
            assertThat(e.get("message").asText()).contains("no 'url'");
        });
    }
}
