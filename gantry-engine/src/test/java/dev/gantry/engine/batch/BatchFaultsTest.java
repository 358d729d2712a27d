package dev.gantry.engine.batch;

import static dev.gantry.engine.batch.BatchFixture.idsOf;
import static dev.gantry.engine.batch.BatchFixture.journal;
import static dev.gantry.engine.batch.BatchFixture.line;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.core.batch.BatchSpec;
import dev.gantry.core.batch.Latencies;
import dev.gantry.engine.batch.LoopbackService.Answer;
import dev.gantry.engine.batch.LoopbackService.Drop;
import dev.gantry.engine.batch.LoopbackService.DropMidBody;
import dev.gantry.engine.batch.LoopbackService.Reply;
import dev.gantry.engine.batch.LoopbackService.Stall;
import dev.gantry.engine.cancel.Cancellation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue's first must-show: a few thousand items against a real service on loopback that fails about one attempt
 * in five (500s, 429 with {@code Retry-After}, dropped connections, answers cut halfway, stalls past the timeout) and
 * answers some ids with permanent failures; plus the input's broken lines. Faults are a function of (id, attempt), so
 * every run of the test sees the same ones. A stall, before the answer or halfway through its body, outlasts the
 * one-second timeout.
 */
class BatchFaultsTest {

    private static final int RETRIES = 6;

    @TempDir
    Path dir;

    /** Transient faults only on an id's first three attempts: with six retries every id but the doomed ones ends well. */
    static Reply faulty(String id, int attempt) {
        if (id.startsWith("perm400-")) {
            return new Answer(400, "application/json", "{\"error\":\"unknown voice for this text\"}".getBytes());
        }
        if (id.startsWith("perm500-")) {
            return new Answer(500, "text/plain", "model crashed".getBytes());
        }
        if (id.startsWith("empty-")) {
            return new Answer(200, "audio/wav", new byte[0]);
        }
        if (id.startsWith("badjson-")) {
            return new Answer(200, "application/json", "{\"half\":".getBytes());
        }
        if (attempt <= 3) {
            int h = Integer.parseInt(BatchFixture.sha256((id + "#" + attempt).getBytes()).substring(0, 6), 16) % 100;
            if (h < 5) {
                return new Answer(500, "text/plain", "internal error".getBytes());
            } else if (h < 9) {
                return new Answer(429, "text/plain", Map.of("Retry-After", "0"), "slow down".getBytes());
            } else if (h < 10) {
                String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)
                        .minusMinutes(5));
                return new Answer(503, "text/plain", Map.of("Retry-After", past), "busy".getBytes());
            } else if (h < 14) {
                return new Drop();
            } else if (h < 16) {
                return new DropMidBody("audio/wav", LoopbackService.rendered(id));
            } else if (h < 17) {
                return new Stall(Duration.ofSeconds(3));
            } else if (h < 18) {
                return new LoopbackService.StallMidBody("audio/wav", LoopbackService.rendered(id),
                        Duration.ofSeconds(3));
            } else if (h < 20 && attempt == 1) {
                return new Answer(502, "text/html", "<html>bad gateway</html>".getBytes());
            }
        }
        return good(id);
    }

    static Answer good(String id) {
        int kind = Math.floorMod(id.hashCode(), 10);
        if (kind == 0) {
            return new Answer(200, "application/json", ("{\"id\":\"" + id + "\",\"seconds\":1.5}").getBytes());
        }
        if (kind == 1) {
            return new Answer(200, "audio/mpeg", LoopbackService.rendered(id));
        }
        if (kind == 2) {
            return new Answer(200, "text/plain; charset=utf-8", LoopbackService.rendered(id));
        }
        return new Answer(200, "audio/wav", LoopbackService.rendered(id));
    }

    @Test
    void everyValidIdEndsInExactlyOneOfResultsOrErrorsDespiteFaults() throws Exception {
        List<String> good = BatchFixture.ids("item-", 2000);
        List<String> doomed = new ArrayList<>();
        Stream.of("perm400-", "perm500-", "empty-", "badjson-").forEach(p -> doomed.addAll(BatchFixture.ids(p, 5)));
        List<String> lines = new ArrayList<>();
        Map<Long, String> brokenKinds = new LinkedHashMap<>();
        int d = 0;
        for (int i = 0; i < good.size(); i++) {
            lines.add(line(good.get(i)));
            if (i % 100 == 50 && d < doomed.size()) {
                for (int k = 0; k < 4 && d < doomed.size(); k++) {
                    lines.add(line(doomed.get(d++)));
                }
            }
            if (i == 10) {
                lines.add("this is not json");
                brokenKinds.put((long) lines.size(), "invalid_json");
                lines.add("");
                lines.add("   ");
                lines.add("[1, 2, 3]");
                brokenKinds.put((long) lines.size(), "invalid_json");
                lines.add("{\"text\":\"a line without its id\",\"voice\":\"a\"}");
                brokenKinds.put((long) lines.size(), "missing_id");
                lines.add(line("item-3"));
                brokenKinds.put((long) lines.size(), "duplicate_id");
                lines.add("{\"custom_id\":\"../x\",\"text\":\"escape\",\"voice\":\"a\"}");
                brokenKinds.put((long) lines.size(), "invalid_id");
                lines.add("{\"custom_id\":\".partial\",\"text\":\"hide\",\"voice\":\"a\"}");
                brokenKinds.put((long) lines.size(), "invalid_id");
                lines.add("{\"custom_id\":\"no-voice\",\"text\":\"where is the voice\"}");
                brokenKinds.put((long) lines.size(), "template");
            }
        }
        BatchFixture.writeInput(dir, lines);
        long nonBlank = lines.stream().filter(l -> !l.isBlank()).count();

        BatchFixture.Recorder recorder = new BatchFixture.Recorder();
        BatchResult result;
        Map<String, Integer> requestsSeen = new HashMap<>();
        try (LoopbackService service = new LoopbackService((id, attempt, body) -> faulty(id, attempt))) {
            BatchSpec spec = BatchFixture.spec(32, RETRIES, Duration.ofSeconds(1), false);
            result = BatchFixture.run(spec, dir, BatchTarget.url(service.base()), recorder, Cancellation.root());
            assertRetryAfterHonoured(service);
            assertThat(service.seen()).extracting(LoopbackService.Seen::id).doesNotContain("..", "x", ".partial",
                    "no-voice");
            doomed.forEach(id -> requestsSeen.put(id, service.attemptsOf(id)));
        }

        assertThat(result.failure()).isNull();
        List<JsonNode> results = journal(dir, BatchSpec.RESULTS);
        List<JsonNode> errors = journal(dir, BatchSpec.ERRORS);
        List<String> resultIds = idsOf(results);
        List<JsonNode> itemErrors = errors.stream().filter(e -> !Set.of("invalid_json", "missing_id", "duplicate_id",
                "invalid_id", "template").contains(e.get("kind").asText())).toList();
        List<String> errorIds = idsOf(itemErrors);

        assertThat(resultIds).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(good);
        assertThat(errorIds).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(doomed);

        Map<String, JsonNode> errorById = new HashMap<>();
        itemErrors.forEach(e -> errorById.put(e.get("id").asText(), e));
        for (String id : doomed) {
            JsonNode e = errorById.get(id);
            if (id.startsWith("perm400-")) {
                assertThat(e.get("kind").asText()).isEqualTo("http");
                assertThat(e.get("status").asInt()).isEqualTo(400);
                assertThat(e.get("message").asText()).contains("HTTP 400").contains("unknown voice");
                // not retried: the 400 was the last request (only a stray timeout under load comes before it)
                assertThat(e.get("attempts").asInt()).isEqualTo(requestsSeen.get(id));
            } else if (id.startsWith("perm500-")) {
                assertThat(e.get("status").asInt()).isEqualTo(500);
                assertThat(e.get("attempts").asInt()).isEqualTo(RETRIES + 1);
            } else {
                assertThat(e.get("kind").asText()).isEqualTo("bad_answer");
                assertThat(e.get("attempts").asInt()).isEqualTo(requestsSeen.get(id));
            }
            assertThat(e.get("line").asLong()).isEqualTo(lines.indexOf(line(id)) + 1);
        }

        Map<Long, String> lineErrors = new LinkedHashMap<>();
        errors.stream().filter(e -> !itemErrors.contains(e))
                .forEach(e -> lineErrors.put(e.get("line").asLong(), e.get("kind").asText()));
        assertThat(lineErrors).containsExactlyInAnyOrderEntriesOf(brokenKinds);
        errors.stream().filter(e -> e.get("kind").asText().equals("invalid_id"))
                .forEach(e -> assertThat(e.has("id")).isFalse());
        assertThat(errors.stream().filter(e -> e.get("kind").asText().equals("template")))
                .singleElement().satisfies(e -> assertThat(e.get("id").asText()).isEqualTo("no-voice"));

        Path out = dir.resolve("out");
        Set<String> files = new HashSet<>();
        for (JsonNode r : results) {
            String id = r.get("id").asText();
            Answer expected = good(id);
            assertThat(r.get("status").asInt()).isEqualTo(200);
            assertThat(r.get("attempts").asInt()).isBetween(1, RETRIES + 1);
            if (expected.contentType().equals("application/json")) {
                assertThat(r.get("body").get("id").asText()).isEqualTo(id);
                assertThat(r.has("output")).isFalse();
                continue;
            }
            String ext = expected.contentType().startsWith("audio/mpeg") ? "mp3"
                    : expected.contentType().startsWith("text/plain") ? "txt" : "wav";
            assertThat(r.get("output").asText()).isEqualTo(id + "." + ext);
            byte[] bytes = Files.readAllBytes(out.resolve(r.get("output").asText()));
            assertThat(BatchFixture.sha256(bytes)).isEqualTo(r.get("sha256").asText())
                    .isEqualTo(BatchFixture.sha256(expected.body()));
            assertThat(r.get("bytes").asLong()).isEqualTo(bytes.length);
            files.add(r.get("output").asText());
        }
        try (Stream<Path> list = Files.list(out)) {
            assertThat(list.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(union(files, Set.of("results.jsonl", "errors.jsonl",
                            ".partial", ".lock")));
        }
        try (Stream<Path> partial = Files.list(out.resolve(".partial"))) {
            assertThat(partial).isEmpty();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.map(p -> p.getFileName().toString())).doesNotContain("x", "x.wav", "x.bin");
        }

        var f = result.figures();
        assertThat(f.total()).isEqualTo(nonBlank);
        assertThat(f.done() + f.skipped()).isEqualTo(nonBlank);
        assertThat(f.succeeded()).isEqualTo(good.size());
        assertThat(f.failed()).isEqualTo(errors.size());
        assertThat(f.retries()).isPositive();
        assertThat(results).anySatisfy(r -> assertThat(r.get("attempts").asInt()).isEqualTo(4));
        long firstTry = results.stream().filter(r -> r.get("attempts").asInt() == 1).count();
        assertThat(firstTry).isLessThan(good.size());
        assertThat(f.inFlight()).isZero();
        assertThat(f.p50()).isNotNull();
        assertThat(result.latencies().count()).isEqualTo(good.size());
        assertThat(recorder.figures).last().isEqualTo(f);
        Latencies summed = new Latencies();
        recorder.deltas.forEach(summed::add);
        assertThat(summed.count()).isEqualTo(good.size());
    }

    /** An id answered 429 with {@code Retry-After: 0} is retried; one with a date in the past too; a lower bound only. */
    private static void assertRetryAfterHonoured(LoopbackService service) {
        assertThat(service.seen()).anySatisfy(s -> assertThat(s.attempt()).isGreaterThan(1));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return out;
    }

    @Test
    void waitsAtLeastWhatRetryAfterAsks() throws Exception {
        BatchFixture.writeInput(dir, List.of(line("a"), line("b")));
        try (LoopbackService service = new LoopbackService((id, attempt, body) -> attempt == 1 && id.equals("a")
                ? new Answer(429, "text/plain", Map.of("Retry-After", "1"), "later".getBytes(StandardCharsets.UTF_8))
                : good(id))) {
            BatchResult result = BatchFixture.run(BatchFixture.spec(2, 2, Duration.ofSeconds(5), false), dir,
                    BatchTarget.url(service.base()), new BatchFixture.Recorder(), Cancellation.root());
            assertThat(result.complete()).isTrue();
            List<LoopbackService.Seen> a = service.seen().stream().filter(s -> s.id().equals("a")).toList();
            assertThat(a).hasSize(2);
            assertThat(Duration.ofNanos(a.get(1).nanos() - a.get(0).nanos())).isGreaterThanOrEqualTo(
                    Duration.ofMillis(990));
        }
        assertThat(idsOf(journal(dir, BatchSpec.RESULTS))).containsExactlyInAnyOrder("a", "b");
    }
}
