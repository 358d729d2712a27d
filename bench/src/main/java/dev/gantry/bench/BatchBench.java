package dev.gantry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.core.batch.BatchFigures;
import dev.gantry.core.batch.BatchSpec;
import dev.gantry.core.batch.Latencies;
import dev.gantry.core.batch.RequestTemplate;
import dev.gantry.engine.batch.BatchListener;
import dev.gantry.engine.batch.BatchResult;
import dev.gantry.engine.batch.BatchRun;
import dev.gantry.engine.batch.BatchTarget;
import dev.gantry.engine.cancel.Cancellation;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Batch throughput: the same service ({@link BatchBenchService}, in a process of its own, capacity workers ÷ work)
 * driven by {@code xargs -P N curl} and by Gantry's batch ({@link BatchRun}, what the step and {@code gantry batch}
 * run) with N in flight, in the same round; then Gantry alone with one in flight, whose time per item minus the
 * service's own handling time is what Gantry adds per item.
 *
 * <p>Usage: {@code bench/batch/run [items] [rounds] [concurrency] [work-ms]} (default 2000 3 8 20).
 */
public final class BatchBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int workMs = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        Path dir = Files.createTempDirectory("gantry-batch-bench");
        Process service = new ProcessBuilder(javaBin(), "-cp", System.getProperty("java.class.path"),
                BatchBenchService.class.getName(), Integer.toString(concurrency), Integer.toString(workMs), "16384")
                .redirectErrorStream(true).start();
        try {
            String first = new BufferedReader(new InputStreamReader(service.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            URI base = URI.create("http://127.0.0.1:" + first.substring("port ".length()));
            Path input = input(dir, items);
            double capacity = concurrency * 1000.0 / workMs;
            System.out.printf("batch throughput: %d items, %d in flight, service work %d ms a request (capacity %.0f"
                    + " items/s), %d rounds%n", items, concurrency, workMs, capacity, rounds);
            run(dir.resolve("warm"), input, base, concurrency);
            double[] curl = new double[rounds];
            double[] gantry = new double[rounds];
            double[] ratio = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                int r = round;
                curl[r] = items / seconds(() -> xargsCurl(dir.resolve("curl-" + r), input, base, concurrency));
                gantry[r] = items / seconds(() -> run(dir.resolve("gantry-" + r), input, base, concurrency));
                ratio[r] = gantry[r] / curl[r];
                System.out.printf("round %d: xargs -P %d curl %7.1f items/s; gantry %7.1f items/s; ratio %.2f%n",
                        r + 1, concurrency, curl[r], gantry[r], ratio[r]);
            }
            int single = Math.min(items, 500);
            Path one = input(dir.resolve("single"), single);
            JsonNode before = stats(base);
            double perItem = seconds(() -> run(dir.resolve("one"), one, base, 1)) * 1000.0 / single;
            JsonNode after = stats(base);
            double handling = (after.get("handling_us").asLong() - before.get("handling_us").asLong()) / 1000.0
                    / (after.get("served").asLong() - before.get("served").asLong());
            System.out.printf("median: xargs curl %.1f items/s, gantry %.1f items/s (%.2f of the service's capacity)%n",
                    Stats.pct(curl, 50), Stats.pct(gantry, 50), Stats.pct(gantry, 50) / capacity);
            System.out.printf("ratio (median): %.2f of xargs -P %d curl (target: at least 0.95)%n",
                    Stats.pct(ratio, 50), concurrency);
            System.out.printf("per item, one in flight: %.2f ms, of which the service %.2f ms: gantry adds %.2f ms%n",
                    perItem, handling, perItem - handling);
        } finally {
            service.destroy();
            deleteTree(dir);
        }
    }

    private static Path input(Path dir, int items) throws Exception {
        Files.createDirectories(dir);
        Path input = dir.resolve("input.jsonl");
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(input))) {
            for (int i = 0; i < items; i++) {
                w.println(JSON.writeValueAsString(Map.of("id", String.format("item-%06d", i),
                        "text", "Sentence number " + i + " of the bench chapter.", "voice", "kevin")));
            }
        }
        return input;
    }

    private static void run(Path out, Path input, URI base, int concurrency) {
        RequestTemplate template = new RequestTemplate("POST", "/tts", Map.of(),
                Map.of("text", "{{ .text }}", "speaker", "{{ .voice }}"));
        BatchSpec spec = new BatchSpec(input.toString(), template, "id", out.toString(), concurrency, 3,
                Duration.ofSeconds(30), BatchSpec.Flush.STANDARD, false);
        BatchResult r = BatchRun.run(spec, out.getParent(), BatchTarget.url(base), new BatchListener() {
            @Override
            public void progress(BatchFigures figures, Latencies sinceLast) {
            }

            @Override
            public void note(String line) {
            }
        }, Cancellation.root());
        if (!r.complete() || r.figures().failed() > 0) {
            throw new IllegalStateException("the batch did not complete cleanly: " + String.join("; ", dev.gantry.engine.batch.BatchSummary.summary(r.figures(), "out")));
        }
    }

    /** Each line through its own curl, as a shell loop would: N at a time. */
    private static void xargsCurl(Path out, Path input, URI base, int concurrency) {
        try {
            Files.createDirectories(out);
            Path args = out.resolve("args");
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(args));
                 Stream<String> lines = Files.lines(input)) {
                for (String line : (Iterable<String>) lines::iterator) {
                    JsonNode n = JSON.readTree(line);
                    w.println(n.get("id").asText());
                    w.println(JSON.writeValueAsString(Map.of("text", n.get("text").asText(), "speaker",
                            n.get("voice").asText())));
                }
            }
            String script = "xargs -d '\\n' -n 2 -P " + concurrency + " sh -c 'curl -sS --fail -X POST -H "
                    + "\"Content-Type: application/json\" --data-binary \"$1\" -o \"" + out + "/$0.wav\" "
                    + base + "/tts' < " + args;
            int code = new ProcessBuilder("bash", "-c", script).inheritIO().start().waitFor();
            if (code != 0) {
                throw new IllegalStateException("xargs curl exited with " + code);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode stats(URI base) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/stats"))
                .build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private static double seconds(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private BatchBench() {
    }
}
