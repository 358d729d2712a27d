package dev.gantry.engine.batch;

import static dev.gantry.engine.batch.BatchFixture.idsOf;
import static dev.gantry.engine.batch.BatchFixture.journal;
import static dev.gantry.engine.batch.BatchFixture.line;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.core.batch.BatchSpec;
import dev.gantry.engine.batch.LoopbackService.Answer;
import dev.gantry.engine.cancel.Cancellation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resume, exactly once: a rerun skips what is recorded, repairs what a crash left, and retries errors when asked. */
class BatchResumeTest {

    @TempDir
    Path dir;

    private static Answer wav(String id) {
        return new Answer(200, "audio/wav", LoopbackService.rendered(id));
    }

    @Test
    void aCancelledBatchResumesWithoutDoingAnyItemTwice() throws Exception {
        List<String> ids = BatchFixture.ids("c-", 600);
        BatchFixture.writeInput(dir, ids.stream().map(BatchFixture::line).toList());
        Cancellation first = Cancellation.root();
        AtomicInteger answered = new AtomicInteger();
        try (LoopbackService service = new LoopbackService((id, attempt, body) -> {
            if (answered.incrementAndGet() == 250) {
                first.cancel(Cancellation.Reason.CANCELLED, "stopped by the test");
            }
            return wav(id);
        })) {
            BatchSpec spec = BatchFixture.spec(8, 2, Duration.ofSeconds(5), false);
            BatchResult r1 = BatchFixture.run(spec, dir, BatchTarget.url(service.base()), new BatchFixture.Recorder(),
                    first);
            assertThat(r1.failure()).isEqualTo("stopped by the test");
            List<String> doneFirst = idsOf(journal(dir, BatchSpec.RESULTS));
            assertThat(doneFirst).doesNotHaveDuplicates().hasSizeBetween(200, 599);
            assertNoOrphans(doneFirst);

            service.clearSeen();
            BatchFixture.Recorder recorder = new BatchFixture.Recorder();
            BatchResult r2 = BatchFixture.run(spec, dir, BatchTarget.url(service.base()), recorder,
                    Cancellation.root());
            assertThat(r2.complete()).isTrue();
            assertThat(r2.figures().skipped()).isEqualTo(doneFirst.size());
            assertThat(r2.figures().succeeded()).isEqualTo(ids.size() - doneFirst.size());
            assertThat(recorder.notes).contains("resuming: " + doneFirst.size() + " done before, 0 errors kept, "
                    + (ids.size() - doneFirst.size()) + " to go");
            assertThat(service.seen()).extracting(LoopbackService.Seen::id).doesNotContainAnyElementsOf(doneFirst);
        }
        List<String> all = idsOf(journal(dir, BatchSpec.RESULTS));
        assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        assertNoOrphans(all);
    }

    @Test
    void aRerunAfterACrashRedoesExactlyTheTornTheLostAndTheDamaged() throws Exception {
        List<String> ids = BatchFixture.ids("k-", 200);
        BatchFixture.writeInput(dir, ids.stream().map(BatchFixture::line).toList());
        BatchSpec spec = BatchFixture.spec(8, 2, Duration.ofSeconds(5), false);
        Set<String> refused = new HashSet<>();
        try (LoopbackService service = new LoopbackService((id, attempt, body) -> refused.contains(id)
                ? new Answer(422, "text/plain", "cannot say that".getBytes()) : wav(id))) {
            assertThat(BatchFixture.run(spec, dir, BatchTarget.url(service.base()), new BatchFixture.Recorder(),
                    Cancellation.root()).complete()).isTrue();

            Path out = dir.resolve("out");
            Path results = out.resolve(BatchSpec.RESULTS);
            List<String> lines = new ArrayList<>(Files.readAllLines(results));
            assertThat(lines).hasSize(200);
            String lost = id(lines.get(10));
            String damaged = id(lines.get(20));
            String unrecorded = id(lines.get(30));
            String torn = id(lines.get(lines.size() - 1));
            Files.delete(out.resolve(lost + ".wav"));
            byte[] bytes = Files.readAllBytes(out.resolve(damaged + ".wav"));
            bytes[bytes.length / 2] ^= 0x5a;
            Files.write(out.resolve(damaged + ".wav"), bytes);
            // a crash after the rename, before the line was flushed: the file is there, its line is not
            lines.remove(30);
            String last = lines.remove(lines.size() - 1);
            StringBuilder text = new StringBuilder();
            lines.forEach(l -> text.append(l).append('\n'));
            text.append(last, 0, last.length() / 2);
            Files.writeString(results, text.toString(), StandardCharsets.UTF_8);
            Files.writeString(out.resolve(".partial/1234.tmp"), "half an answer");
            refused.add(unrecorded);

            service.clearSeen();
            BatchFixture.Recorder recorder = new BatchFixture.Recorder();
            BatchResult r2 = BatchFixture.run(spec, dir, BatchTarget.url(service.base()), recorder,
                    Cancellation.root());
            assertThat(r2.complete()).isTrue();
            assertThat(service.seen()).extracting(LoopbackService.Seen::id)
                    .containsExactlyInAnyOrder(lost, damaged, unrecorded, torn);
            assertThat(recorder.notes).anySatisfy(n -> assertThat(n).startsWith(
                    "resuming: 196 done before, 0 errors kept, 4 to go (3 result lines dropped"));
            assertThat(out.resolve(unrecorded + ".wav")).doesNotExist();
            assertThat(out.resolve(".partial")).isEmptyDirectory();
        }
        List<String> done = idsOf(journal(dir, BatchSpec.RESULTS));
        assertThat(done).doesNotHaveDuplicates().hasSize(199);
        assertThat(idsOf(journal(dir, BatchSpec.ERRORS))).hasSize(1);
        assertNoOrphans(done);
    }

    @Test
    void errorsAreKeptOnAPlainRerunAndRetriedWithRetryErrors() throws Exception {
        List<String> ids = BatchFixture.ids("e-", 100);
        List<String> input = new ArrayList<>(ids.stream().map(BatchFixture::line).toList());
        input.add(40, "{not json");
        BatchFixture.writeInput(dir, input);
        Set<String> failing = Set.of("e-3", "e-33", "e-66");
        AtomicInteger phase = new AtomicInteger(1);
        try (LoopbackService service = new LoopbackService((id, attempt, body) ->
                phase.get() == 1 && failing.contains(id) ? new Answer(400, "text/plain", "no".getBytes()) : wav(id))) {
            BatchSpec plain = BatchFixture.spec(4, 1, Duration.ofSeconds(5), false);
            BatchFixture.run(plain, dir, BatchTarget.url(service.base()), new BatchFixture.Recorder(),
                    Cancellation.root());
            assertThat(idsOf(journal(dir, BatchSpec.ERRORS))).containsExactlyInAnyOrderElementsOf(failing);

            phase.set(2);
            service.clearSeen();
            BatchFixture.Recorder again = new BatchFixture.Recorder();
            BatchResult r2 = BatchFixture.run(plain, dir, BatchTarget.url(service.base()), again,
                    Cancellation.root());
            assertThat(service.seen()).isEmpty();
            assertThat(r2.figures().skipped()).isEqualTo(100);
            assertThat(again.notes).contains("resuming: 97 done before, 3 errors kept, 1 to go");
            List<JsonNode> errors = journal(dir, BatchSpec.ERRORS);
            assertThat(errors).hasSize(4);
            assertThat(errors).filteredOn(e -> e.get("kind").asText().equals("invalid_json")).hasSize(1);

            BatchSpec retry = BatchFixture.spec(4, 1, Duration.ofSeconds(5), true);
            BatchResult r3 = BatchFixture.run(retry, dir, BatchTarget.url(service.base()), new BatchFixture.Recorder(),
                    Cancellation.root());
            assertThat(r3.complete()).isTrue();
            assertThat(service.seen()).extracting(LoopbackService.Seen::id)
                    .containsExactlyInAnyOrderElementsOf(failing);
        }
        assertThat(idsOf(journal(dir, BatchSpec.RESULTS))).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(journal(dir, BatchSpec.ERRORS)).singleElement()
                .satisfies(e -> assertThat(e.get("kind").asText()).isEqualTo("invalid_json"));
    }

    private static String id(String jsonLine) throws Exception {
        return BatchFixture.JSON.readTree(jsonLine).get("id").asText();
    }

    /** The output holds a file for each result with one, matching its hash, and nothing else. */
    private void assertNoOrphans(List<String> resultIds) throws Exception {
        Path out = dir.resolve("out");
        Set<String> expected = new HashSet<>(Set.of("results.jsonl", "errors.jsonl", ".partial", ".lock"));
        for (JsonNode r : journal(dir, BatchSpec.RESULTS)) {
            Path file = out.resolve(r.get("output").asText());
            assertThat(BatchFixture.sha256(Files.readAllBytes(file))).isEqualTo(r.get("sha256").asText());
            expected.add(r.get("output").asText());
        }
        assertThat(expected).hasSize(resultIds.size() + 4);
        try (Stream<Path> list = Files.list(out)) {
            assertThat(list.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(expected);
        }
    }
}
