package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry batch} as users run it: a real process against a real HTTP service on loopback, killed with SIGKILL
 * and run again; and a million lines through a JVM with a 128 MB heap.
 */
class BatchCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private HttpServer server;
    private final AtomicLong served = new AtomicLong();
    private Path lastLog;

    @BeforeEach
    void startService() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true"); // else each answer waits ~40 ms for an ACK
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/tts", ex -> {
            JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
            byte[] audio = audio(body.get("text").asText());
            ex.getResponseHeaders().add("Content-Type", "audio/wav");
            ex.sendResponseHeaders(200, audio.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(audio);
            }
            served.incrementAndGet();
        });
        server.createContext("/echo", ex -> {
            byte[] in = ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, in.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(in);
            }
        });
        server.start();
    }

    @AfterEach
    void stopService() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A "WAV" whose bytes and size depend on the text, so that a file can only match its own item. */
    private static byte[] audio(String text) {
        int size = 8_000 + Math.floorMod(text.hashCode(), 40_000);
        byte[] b = new byte[size];
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (t[i % t.length] ^ i);
        }
        return b;
    }

    @Test
    void aBatchKilledWithSigkillAgainAndAgainResumesToExactlyOneResultPerItem() throws Exception {
        int items = 2000;
        Path input = dir.resolve("chapter.jsonl");
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(input))) {
            for (int i = 0; i < items; i++) {
                w.println(JSON.writeValueAsString(Map.of("name", "line-" + i, "text", "Sentence " + i + ".")));
            }
        }
        Path request = dir.resolve("request.yml");
        Files.writeString(request, "method: POST\npath: /tts\nbody: {text: \"{{ .text }}\"}\n");
        Path out = dir.resolve("out");
        List<String> args = List.of("batch", input.toString(), "--url", url(), "--out", out.toString(), "--request",
                request.toString(), "--id", "name", "--concurrency", "8", "--flush-every", "25");
        for (int kill : new int[] {200, 700, 1300}) {
            Process p = gantry(args, "-Xmx256m");
            try {
                // let it get past `kill` served requests (of this run), then kill it mid-stream, without warning
                long start = served.get();
                await().atMost(Duration.ofSeconds(120)).until(() -> served.get() - start >= kill / 3 || !p.isAlive());
                assertThat(p.isAlive()).as("the batch ended before it could be killed").isTrue();
                p.destroyForcibly();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                p.destroyForcibly();
            }
        }
        Process last = gantry(args, "-Xmx256m");
        assertThat(last.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = lastLog();
        assertThat(last.exitValue()).as(output).isZero();
        assertThat(output).contains("resuming");

        Map<String, JsonNode> results = new HashMap<>();
        for (String line : Files.readAllLines(out.resolve("results.jsonl"))) {
            JsonNode r = JSON.readTree(line);
            assertThat(results.put(r.get("id").asText(), r)).as("a second result for %s", r.get("id")).isNull();
        }
        assertThat(results).hasSize(items);
        assertThat(Files.readAllLines(out.resolve("errors.jsonl"))).isEmpty();
        Set<String> files = new HashSet<>();
        try (Stream<Path> walk = Files.walk(out)) {
            walk.filter(Files::isRegularFile).forEach(f -> files.add(out.relativize(f).toString()));
        }
        // .lock is the empty file a run holds locked so that two runs never share an output; it stays, as lock files do
        Set<String> expected = new HashSet<>(Set.of("results.jsonl", "errors.jsonl", ".lock"));
        for (int i = 0; i < items; i++) {
            JsonNode r = results.get("line-" + i);
            assertThat(r).as("line-%d has a result", i).isNotNull();
            Path file = out.resolve(r.get("output").asText());
            byte[] bytes = Files.readAllBytes(file);
            assertThat(bytes).as("line-%d's file is its own answer, whole", i).isEqualTo(audio("Sentence " + i + "."));
            assertThat(r.get("sha256").asText()).isEqualTo(HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(bytes)));
            expected.add(out.relativize(file).toString());
        }
        Set<String> extra = new HashSet<>(files);
        extra.removeAll(expected);
        assertThat(extra).as("no partial or orphaned files").isEmpty();
        assertThat(files).containsAll(expected);
    }

    /**
     * A million lines in a 128 MB heap: about four minutes on two cores (the requests, not the reading, take the
     * time), too long for every run of the suite; run it with {@code -Dgantry.large=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "gantry.large", matches = "true", disabledReason = "a million requests take"
            + " minutes: run with -Dgantry.large=true (the suite runs the same with 100,000 lines in 32 MB)")
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void aMillionLinesGoThroughAJvmWithA128MegabyteHeap() throws Exception {
        linesThroughASmallHeap(1_000_000, "-Xmx128m");
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aHundredThousandLinesGoThroughAJvmWithA32MegabyteHeap() throws Exception {
        linesThroughASmallHeap(100_000, "-Xmx32m");
    }

    /** The input is several times the heap once read, and its results more: neither may be held whole. */
    private void linesThroughASmallHeap(int items, String heap) throws Exception {
        Path input = dir.resolve("lines.jsonl");
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(input))) {
            for (int i = 0; i < items; i++) {
                w.print("{\"custom_id\":\"r");
                w.print(i);
                w.print("\",\"method\":\"POST\",\"url\":\"/echo\",\"body\":{\"n\":");
                w.print(i);
                w.print(",\"text\":\"a sentence long enough to make the input and its results weigh something\"");
                w.println("}}");
            }
        }
        Path out = dir.resolve("out");
        Process p = gantry(List.of("batch", input.toString(), "--url", url(), "--out", out.toString(),
                "--concurrency", "16", "--flush-every", "1000", "--json"), heap);
        assertThat(p.waitFor(20, TimeUnit.MINUTES)).isTrue();
        String output = lastLog();
        assertThat(p.exitValue()).as(tail(output)).isZero();
        assertThat(output).doesNotContain("OutOfMemoryError");
        String last = output.lines().filter(l -> l.contains("\"finished\"")).reduce((a, b) -> b).orElseThrow();
        JsonNode finished = JSON.readTree(last);
        assertThat(finished.get("succeeded").asLong()).isEqualTo(items);
        assertThat(finished.get("failed").asLong()).isZero();
        long lines;
        try (Stream<String> s = Files.lines(out.resolve("results.jsonl"))) {
            lines = s.count();
        }
        assertThat(lines).isEqualTo(items);
        assertThat(Files.size(out.resolve("results.jsonl")) + Files.size(input))
                .as("the input and the results outweigh the heap").isGreaterThan(heapBytes(heap) / 2);
    }

    private static long heapBytes(String heap) {
        return Long.parseLong(heap.replaceAll("\\D", "")) << 20;
    }

    @Test
    void badArgumentsAreRefusedWithTheirReasonAndExitCode2() throws Exception {
        Path input = dir.resolve("in.jsonl");
        Files.writeString(input, "{\"custom_id\": \"a\"}\n");
        Path request = dir.resolve("request.yml");
        Files.writeString(request, "method: POST\npath: tts\n");
        assertThat(inProcess("batch", input.toString(), "--url", "ftp://x", "--out", "o")).startsWith("2 ")
                .contains("--url");
        assertThat(inProcess("batch", dir.resolve("nope.jsonl").toString(), "--url", url(), "--out", "o"))
                .startsWith("2 ").contains("no input file");
        assertThat(inProcess("batch", input.toString(), "--url", url(), "--out", "o", "--concurrency", "0"))
                .startsWith("2 ").contains("--concurrency");
        assertThat(inProcess("batch", input.toString(), "--url", url(), "--out", "o", "--timeout", "soon"))
                .startsWith("2 ").contains("--timeout");
        assertThat(inProcess("batch", input.toString(), "--url", url(), "--out", "o", "--request", request.toString()))
                .startsWith("2 ").contains("request.yml:2").doesNotContain("Exception");
    }

    private String inProcess(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), false).execute(args);
        return code + " " + out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    private Process gantry(List<String> args, String heap) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                heap, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        lastLog = Files.createTempFile(dir, "gantry", ".log");
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(lastLog.toFile()).start();
    }

    /** The output of the process started last. */
    private String lastLog() throws IOException {
        return Files.readString(lastLog);
    }

    private static String tail(String s) {
        return s.length() < 3000 ? s : s.substring(s.length() - 3000);
    }
}
