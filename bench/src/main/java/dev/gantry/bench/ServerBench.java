package dev.gantry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.scheduler.EngineSettings;
import dev.gantry.server.GantryServer;
import dev.gantry.server.ServerLog;
import dev.gantry.server.ServerSettings;
import dev.gantry.store.BuildRow;
import dev.gantry.store.PipelineRow;
import dev.gantry.store.Store;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server under load, on loopback, with 10,000 builds in the store (H2, or PostgreSQL when
 * {@code GANTRY_BENCH_POSTGRES_URL} is set):
 * <ol>
 *   <li>latency at a fixed 200 requests/s (open loop: each request's latency counts from when it was due, so a
 *       stall is not hidden) of {@code GET /api/builds} and the builds page, against {@code GET /healthz} (no
 *       database) at the same rate in the same run; then the most requests/s 16 clients get from each;</li>
 *   <li>log ingestion: one task printing 50 MB through a real build, against the same command writing to a file;</li>
 *   <li>live log delay: a task prints a timestamped line every 50 ms; how long until an SSE client has it.</li>
 * </ol>
 * Usage: {@code bench/server/run [seconds per load phase]} (default 10).
 */
public final class ServerBench {

    static final int BUILDS = 10_000;
    static final int RATE = 200;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path tmp = Files.createTempDirectory("gantry-server-bench");
        String pg = System.getenv("GANTRY_BENCH_POSTGRES_URL");
        Store store = pg != null ? Store.open(pg, System.getenv("GANTRY_BENCH_POSTGRES_USER"), null)
                : Store.embedded(tmp.resolve("db"));
        System.out.printf("store: %s; %d builds seeded; load phases of %d s on loopback%n",
                pg != null ? "PostgreSQL " + pg : "embedded H2", BUILDS, seconds);
        seed(store);
        Path repo = repository(tmp.resolve("repo"));
        ServerSettings settings = new ServerSettings(tmp.resolve("data"), "127.0.0.1", 0, 2, Map.of("gpu", 0),
                new EngineSettings(2, false, System.getenv(), Clock.systemUTC()), Duration.ofHours(1));
        try (GantryServer server = GantryServer.start(store, settings,
                new ServerLog(new PrintStream(OutputStream.nullOutputStream()), Clock.systemUTC()))) {
            String base = "http://127.0.0.1:" + server.port();
            load(base, seconds);
            ingestion(base, repo, tmp);
            liveDelay(base, repo);
        } finally {
            store.close();
        }
    }

    private static void seed(Store store) {
        long t0 = System.nanoTime();
        Instant start = Instant.now().minus(Duration.ofDays(30));
        store.pipelines().save(new PipelineRow("seeded", "/nowhere", "gantry.yml", "main", Duration.ofHours(1), null,
                start));
        long have = store.builds().count("seeded", null);
        for (long n = have + 1; n <= BUILDS; n++) {
            Instant at = start.plusSeconds(n * 60);
            String status = n % 10 == 0 ? "failed" : "succeeded";
            store.builds().save(new BuildRow("seed-" + n, "seeded", n, "gantry.yml", "ab".repeat(32),
                    "c0ffee" + n, "main", null, "Ada <ada@example.com>", "Commit " + n, "poll", status, at,
                    at.plusSeconds(42), List.of(
                    new BuildRow.TaskRow("build", "build", "succeeded", 1, at, at.plusSeconds(10), 10_000L, null),
                    new BuildRow.TaskRow("test[1]", "test", status, 1, at.plusSeconds(10), at.plusSeconds(40),
                            30_000L, null),
                    new BuildRow.TaskRow("test[2]", "test", "succeeded", 1, at.plusSeconds(10), at.plusSeconds(38),
                            28_000L, null))));
        }
        System.out.printf("seeding took %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    private static void load(String base, int seconds) throws Exception {
        String[][] targets = {{"GET /healthz (baseline, no database)", "/healthz"},
                {"GET /api/builds?pipeline=seeded&limit=50", "/api/builds?pipeline=seeded&limit=50"},
                {"GET /api/builds (all, page 100)", "/api/builds?offset=5000&limit=50"},
                {"builds page /pipelines/seeded", "/pipelines/seeded"}};
        for (String[] t : targets) {
            openLoop(base + t[1], 1); // warm up
        }
        double baseP99 = 0;
        System.out.printf("%-44s %9s %9s %9s %9s %12s%n", "at " + RATE + " requests/s", "p50 ms", "p99 ms", "max ms",
                "errors", "ratio p99");
        for (String[] t : targets) {
            double[] lat = openLoop(base + t[1], seconds);
            int errors = (int) java.util.Arrays.stream(lat).filter(v -> v < 0).count();
            double[] ok = java.util.Arrays.stream(lat).filter(v -> v >= 0).toArray();
            double p99 = Stats.pct(ok, 99);
            if (t[1].equals("/healthz")) {
                baseP99 = p99;
            }
            System.out.printf("%-44s %9.2f %9.2f %9.2f %9d %12.2f%n", t[0], Stats.pct(ok, 50), p99,
                    Stats.pct(ok, 100), errors, p99 / baseP99);
        }
        System.out.printf("%-44s %12s%n", "closed loop, 16 clients", "requests/s");
        for (String[] t : targets) {
            System.out.printf("%-44s %12.0f%n", t[0], closedLoop(base + t[1], 16, Math.max(2, seconds / 2)));
        }
    }

    /** Requests due every 1/RATE s for {@code seconds}; latency in ms from when each was due (-1 for an error). */
    private static double[] openLoop(String url, int seconds) throws Exception {
        int n = RATE * seconds;
        double[] lat = new double[n];
        ExecutorService pool = Executors.newFixedThreadPool(64);
        long start = System.nanoTime() + 10_000_000;
        long interval = 1_000_000_000L / RATE;
        for (int i = 0; i < n; i++) {
            long due = start + i * interval;
            int k = i;
            pool.execute(() -> {
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                lat[k] = get(url) ? (System.nanoTime() - due) / 1e6 : -1;
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 60L, TimeUnit.SECONDS);
        return lat;
    }

    private static double closedLoop(String url, int clients, int seconds) throws Exception {
        AtomicInteger done = new AtomicInteger();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            pool.execute(() -> {
                while (System.nanoTime() < end) {
                    if (get(url)) {
                        done.incrementAndGet();
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 60L, TimeUnit.SECONDS);
        return done.get() / (double) seconds;
    }

    private static boolean get(String url) {
        try {
            HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    /** A git repository with the two pipelines the later phases run. */
    private static Path repository(Path dir) throws Exception {
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.init().setDirectory(dir.toFile())
                .setInitialBranch("main").call()) {
            Files.writeString(dir.resolve("print.sh"), """
                    # 50 MiB of output in 100-byte lines
                    line=$(printf '%099d' 0)
                    yes "$line" | head -c 52428800
                    """);
            Files.writeString(dir.resolve("logs.yml"), "jobs:\n  print:\n    steps:\n      - run: bash print.sh\n");
            Files.writeString(dir.resolve("live.yml"), "jobs:\n  tick:\n    steps:\n      - run: for i in $(seq 1 200);"
                    + " do echo \"tick $(date +%s%N)\"; sleep 0.05; done\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("bench").setAuthor("bench", "bench@example.com")
                    .setCommitter("bench", "bench@example.com").call();
        }
        return dir;
    }

    private static JsonNode post(String url, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static JsonNode awaitEnd(String base, String pipeline, long number) throws Exception {
        while (true) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/pipelines/" + pipeline
                    + "/builds/" + number)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                JsonNode b = JSON.readTree(r.body()).path("build");
                if (!b.path("finished_at").isNull()) {
                    return b;
                }
            }
            Thread.sleep(50);
        }
    }

    private static void ingestion(String base, Path repo, Path tmp) throws Exception {
        long t0 = System.nanoTime();
        Process bare = new ProcessBuilder("bash", "-c", "bash print.sh > " + tmp.resolve("bare.log"))
                .directory(repo.toFile()).start();
        bare.waitFor();
        double bareS = (System.nanoTime() - t0) / 1e9;
        post(base + "/api/pipelines", "{\"repository\":\"" + repo + "\",\"name\":\"logs\",\"file\":\"logs.yml\","
                + "\"check_every\":\"1h\"}");
        JsonNode b = awaitEnd(base, "logs", 1);
        Instant started = Instant.parse(b.path("tasks").get(0).path("started_at").asText());
        Instant finished = Instant.parse(b.path("tasks").get(0).path("finished_at").asText());
        double gantryS = Duration.between(started, finished).toMillis() / 1000.0;
        JsonNode page = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(base
                + "/api/pipelines/logs/builds/1/logs/print?from=524285&limit=10")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        System.out.printf("log ingestion, one task printing 50 MiB (524,288 lines): gantry %.2f s (%.1f MiB/s, %s,"
                        + " %d lines stored), the same command into a file %.2f s; ratio %.2f%n",
                gantryS, 50 / gantryS, b.path("status").asText(), page.path("stored").asLong(), bareS,
                gantryS / bareS);
    }

    private static void liveDelay(String base, Path repo) throws Exception {
        post(base + "/api/pipelines", "{\"repository\":\"" + repo + "\",\"name\":\"live\",\"file\":\"live.yml\","
                + "\"check_every\":\"1h\"}");
        while (true) { // wait for the task to start so the stream follows it live
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base
                    + "/api/pipelines/live/builds/1")).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && JSON.readTree(r.body()).path("build").path("tasks").path(0).path("status")
                    .asText().equals("running")) {
                break;
            }
            Thread.sleep(20);
        }
        long printed = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(base
                + "/api/pipelines/live/builds/1/logs/tick?limit=10000")).build(), HttpResponse.BodyHandlers.ofString())
                .body()).path("next").asLong();
        // from the line after those already printed: every line measured is one printed while the client watched
        HttpResponse<InputStream> stream = HTTP.send(HttpRequest.newBuilder(URI.create(base
                + "/pipelines/live/builds/1/tasks/tick/stream?from=" + (printed + 2)))
                .header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        List<Double> delays = new ArrayList<>();
        Pattern tick = Pattern.compile("tick (\\d{19})");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                long now = Instant.now().getEpochSecond() * 1_000_000_000L + Instant.now().getNano();
                if (line.startsWith("event: end")) {
                    break;
                }
                Matcher m = tick.matcher(line);
                while (m.find()) {
                    delays.add((now - Long.parseLong(m.group(1))) / 1e6);
                }
            }
        }
        double[] d = delays.stream().mapToDouble(Double::doubleValue).toArray();
        System.out.printf("live log delay over SSE, %d lines printed every 50 ms: p50 %.1f ms, p99 %.1f ms, max %.1f ms;"
                + " ratio p99 / 200 ms target %.3f%n", d.length, Stats.pct(d, 50), Stats.pct(d, 99), Stats.pct(d, 100),
                Stats.pct(d, 99) / 200);
    }

    private ServerBench() {
    }
}
