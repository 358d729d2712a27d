package dev.gantry.engine.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.core.batch.BatchFigures;
import dev.gantry.core.batch.BatchSpec;
import dev.gantry.core.batch.Latencies;
import dev.gantry.core.batch.RequestTemplate;
import dev.gantry.engine.batch.http.Backoff;
import dev.gantry.engine.cancel.Cancellation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the batch tests share: the request template, specs, fast backoff, and readers of a batch's journal. */
final class BatchFixture {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Small backoff so that retries take milliseconds; {@code Retry-After} still honoured up to 2 s. */
    static final Backoff FAST = new Backoff(Duration.ofMillis(5), Duration.ofMillis(100), Duration.ofSeconds(2));

    static final RequestTemplate TEMPLATE = new RequestTemplate("POST", "/render/{{ .custom_id }}", Map.of(),
            Map.of("text", "{{ .text }}", "voice", "{{ .voice }}"));

    private BatchFixture() {
    }

    static BatchSpec spec(int concurrency, int retries, Duration timeout, boolean retryErrors) {
        return new BatchSpec("in.jsonl", TEMPLATE, BatchSpec.DEFAULT_ID, "out", concurrency, retries, timeout,
                new BatchSpec.Flush(50, Duration.ofMillis(200)), retryErrors);
    }

    static String line(String id) {
        return "{\"custom_id\":\"" + id + "\",\"text\":\"text of " + id + "\",\"voice\":\"v" + (id.length() % 3)
                + "\"}";
    }

    static List<String> ids(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    static void writeInput(Path dir, List<String> lines) throws IOException {
        Files.write(dir.resolve("in.jsonl"), lines, StandardCharsets.UTF_8);
    }

    static BatchResult run(BatchSpec spec, Path dir, BatchTarget target, Recorder recorder, Cancellation c) {
        return BatchRun.run(spec, dir, target, recorder, c, FAST, Clock.systemUTC());
    }

    /** The lines of {@code out/NAME}, parsed; a line that does not parse fails the test. */
    static List<JsonNode> journal(Path dir, String name) {
        Path file = dir.resolve("out").resolve(name);
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<JsonNode> out = new ArrayList<>();
            for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                out.add(JSON.readTree(l));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> idsOf(List<JsonNode> lines) {
        return lines.stream().filter(n -> n.has("id")).map(n -> n.get("id").asText()).toList();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A listener that keeps every call. */
    static final class Recorder implements BatchListener {

        final List<BatchFigures> figures = new CopyOnWriteArrayList<>();
        final List<Latencies> deltas = new CopyOnWriteArrayList<>();
        final List<String> notes = new CopyOnWriteArrayList<>();

        @Override
        public void progress(BatchFigures f, Latencies sinceLast) {
            figures.add(f);
            deltas.add(sinceLast);
        }

        @Override
        public void note(String line) {
            notes.add(line);
        }
    }
}
