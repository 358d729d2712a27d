package dev.gantry.bench;

import dev.gantry.bench.DeployLoad.Answer;
import dev.gantry.bench.DeployLoad.Result;
import dev.gantry.engine.workspace.Directories;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Deploys under a steady load on the environment's stable port, through the real {@code gantry run}, measured in
 * one run against a baseline from the same run:
 *
 * <ul>
 *   <li>{@code blue_green}: requests that failed while a release replaced another (target 0);</li>
 *   <li>{@code replace}: the longest time without an answer, against stop + start + load time of the same service
 *       started and stopped directly (the least a stop-then-start can cost);</li>
 *   <li>a failed gate: the time from the gate's failing request (logged by the broken candidate) until the previous
 *       release answers on the stable port again, against the same baseline; under {@code blue_green}, the failures
 *       and silent answers the load saw (target 0: the candidate never serves).</li>
 * </ul>
 *
 * <p>The service is {@link DeployBenchService}, which loads in {@code --load-ms} (default 300). Usage:
 * {@code bench/deploy/run [rounds] [load-ms]} (defaults 3 and 300), from the repository root.
 */
public final class DeployBench {

    private static final int CLIENTS = 4;
    private static final long SETTLE_MS = 500;

    private final Path dir;
    private final Path gantryJar;
    private final Path benchJar;
    private final String token = UUID.randomUUID().toString().substring(0, 8);
    private final Path gateLog;
    private final long loadMs;
    private int releases;
    private final Map<Path, String> live = new java.util.HashMap<>();

    private DeployBench(Path dir, long loadMs) {
        this.dir = dir;
        this.gantryJar = Path.of("gantry-cli/target/gantry.jar").toAbsolutePath();
        this.benchJar = Path.of("bench/target/gantry-bench.jar").toAbsolutePath();
        this.gateLog = dir.resolve("gate-failures.log");
        this.loadMs = loadMs;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        long loadMs = args.length > 1 ? Long.parseLong(args[1]) : 300;
        Path dir = Files.createTempDirectory("gantry-bench-deploy");
        DeployBench bench = new DeployBench(dir, loadMs);
        try {
            bench.run(rounds);
        } finally {
            bench.cleanUp();
            Directories.deleteTree(dir);
        }
    }

    private void run(int rounds) throws Exception {
        for (Path p : List.of(gantryJar, benchJar)) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException(p + " is missing: run bench/deploy/run from the repository root");
            }
        }
        System.out.printf("deploys under load: %d client(s), a new connection per request; service load time %d ms;"
                + " %d round(s)%n", CLIENTS, loadMs, rounds);

        double[] base = new double[rounds];
        double[] baseGap = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            int port = freePort();
            try (Baseline b = new Baseline(benchJar, port, loadMs, token)) {
                Window w = underLoad(port, b::stopStartReady);
                baseGap[r] = DeployLoad.longestGapMs(w.answers());
                base[r] = b.measuredMs;
            }
        }
        double baseline = Stats.pct(base, 50);
        System.out.printf("baseline, the service stopped (TERM) and started again directly until ready: median %.0f ms"
                + " (%s); the load saw a gap of %s meanwhile%n", baseline, list(base), list(baseGap));

        Path blueGreen = pipeline("bench-deploy-bg", "blue_green", freePort());
        Path replace = pipeline("bench-deploy-replace", "replace", freePort());

        // blue_green: a good release replaces another, rounds times, under load.
        int bgPort = port(blueGreen);
        deploy(blueGreen, false, true);
        long bgFailed = 0;
        long bgRequests = 0;
        double[] bgGap = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            Window w = underLoad(bgPort, () -> deploy(blueGreen, false, true));
            bgFailed += DeployLoad.count(w.answers(), Result.FAILED);
            bgRequests += w.answers().size();
            bgGap[r] = DeployLoad.longestGapMs(w.answers());
            System.out.printf("blue_green deploy %d: %d requests, %d failed, answered by %s; longest gap %.0f ms%n",
                    r + 1, w.answers().size(), DeployLoad.count(w.answers(), Result.FAILED), w.releases(), bgGap[r]);
            w.firstErrors().forEach(e -> System.out.println("  failed: " + e));
        }

        // blue_green: a broken candidate fails its gate; the live release must serve throughout.
        Window bgBroken = underLoad(bgPort, () -> deploy(blueGreen, true, false));
        long bgBrokenFailed = DeployLoad.count(bgBroken.answers(), Result.FAILED);
        long bgSilent = DeployLoad.count(bgBroken.answers(), Result.SILENCE);
        System.out.printf("blue_green failed gate: %d requests, %d failed, %d silent (answered by %s)%n",
                bgBroken.answers().size(), bgBrokenFailed, bgSilent, bgBroken.releases());

        // replace: the gap a stop-then-start leaves.
        int rpPort = port(replace);
        deploy(replace, false, true);
        double[] rpGap = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            Window w = underLoad(rpPort, () -> deploy(replace, false, true));
            rpGap[r] = DeployLoad.longestGapMs(w.answers());
            System.out.printf("replace deploy %d: %d requests, %d failed; longest gap %.0f ms (%.2fx the baseline)%n",
                    r + 1, w.answers().size(), DeployLoad.count(w.answers(), Result.FAILED), rpGap[r],
                    rpGap[r] / baseline);
        }

        // replace: a broken candidate fails its gate; the previous release comes back.
        double[] back = new double[rounds];
        long rpSilent = 0;
        for (int r = 0; r < rounds; r++) {
            String previous = live.get(replace);
            Window w = underLoad(rpPort, () -> deploy(replace, true, false));
            long failedAt = lastGateFailureMicros();
            long servingAgain = w.answers().stream()
                    .filter(a -> a.result() == Result.VOICE && previous.equals(a.release())
                            && a.answeredMicros() > failedAt)
                    .mapToLong(Answer::answeredMicros).min().orElse(-1);
            back[r] = servingAgain < 0 ? Double.NaN : (servingAgain - failedAt) / 1000.0;
            rpSilent += DeployLoad.count(w.answers(), Result.SILENCE);
            System.out.printf("replace failed gate %d: previous release %s answering again %.0f ms after the gate's"
                    + " failing request (%.2fx the baseline); the candidate answered %d request(s) with silence"
                    + " meanwhile%n", r + 1, previous, back[r], back[r] / baseline,
                    DeployLoad.count(w.answers(), Result.SILENCE));
        }

        System.out.println();
        System.out.printf("blue_green: %d requests during %d deploys, %d failed (target 0); during a failed gate %d"
                + " failed, %d silent (target 0, 0)%n", bgRequests, rounds, bgFailed, bgBrokenFailed, bgSilent);
        System.out.printf("replace: longest gap median %.0f ms against stop + start + load %.0f ms in the same run:"
                + " ratio %.2f%n", Stats.pct(rpGap, 50), baseline, Stats.pct(rpGap, 50) / baseline);
        System.out.printf("failed gate to the previous release serving (replace): median %.0f ms, ratio %.2f to the"
                + " baseline; the broken candidates answered %d request(s) with silence (under replace a candidate"
                + " is gated on the stable port)%n", Stats.pct(back, 50), Stats.pct(back, 50) / baseline, rpSilent);
    }

    /** One measured deploy: every answer the load got from its start until it settled. */
    private record Window(List<Answer> answers) {

        Map<String, Long> releases() {
            return answers.stream().filter(a -> a.release() != null).collect(java.util.stream.Collectors.groupingBy(
                    Answer::release, java.util.TreeMap::new, java.util.stream.Collectors.counting()));
        }

        List<String> firstErrors() {
            return answers.stream().filter(a -> a.result() == Result.FAILED).limit(3)
                    .map(a -> Instant.ofEpochSecond(0, a.sentMicros() * 1000) + " " + a.error()).toList();
        }
    }

    /** A deploy that must end as expected. */
    private interface Deploy {
        void run() throws Exception;
    }

    /** Starts the load, waits until the live release answers, runs {@code deploy}, lets it settle, stops the load. */
    private Window underLoad(int port, Deploy deploy) throws Exception {
        DeployLoad load = new DeployLoad(port, CLIENTS);
        long from;
        try {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (DeployLoad.count(load.answers(), Result.VOICE) < 20) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the live release did not answer on port " + port);
                }
                Thread.sleep(10);
            }
            from = DeployLoad.nowMicros();
            deploy.run();
            Thread.sleep(SETTLE_MS);
        } finally {
            load.close();
        }
        // From the last answer before the deploy, so that a gap that began with it is measured whole.
        List<Answer> all = load.answers();
        long start = all.stream().filter(a -> a.answeredMicros() < from).mapToLong(Answer::answeredMicros).max()
                .orElse(from);
        return new Window(all.stream().filter(a -> a.answeredMicros() >= start).toList());
    }

    /** Runs {@code gantry run} on the pipeline for a new release, good or broken, and checks how it ended. */
    private void deploy(Path pipeline, boolean broken, boolean mustSucceed) throws Exception {
        int n = ++releases;
        String flags = "--id r" + n + " --load-ms " + loadMs + " --gate-log " + gateLog + " --run " + token
                + (broken ? " --broken" : "");
        Path log = dir.resolve("deploy-" + n + ".log");
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", gantryJar.toString(), "run", pipeline.toString(),
                "--branch", "main").redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("BENCH_FLAGS", flags);
        int code = pb.start().waitFor();
        if (mustSucceed != (code == 0)) {
            System.out.println(Files.readString(log));
            throw new IllegalStateException("gantry run of release r" + n + (broken ? " (broken)" : "")
                    + " exited with " + code + "; its output is above");
        }
        if (!broken) {
            live.put(pipeline, "r" + n);
        }
    }

    private long lastGateFailureMicros() throws IOException {
        List<String> lines = Files.readAllLines(gateLog);
        Instant at = Instant.parse(lines.get(lines.size() - 1).split(" ")[0]);
        return at.getEpochSecond() * 1_000_000 + at.getNano() / 1000;
    }

    private Path pipeline(String name, String strategy, int port) throws IOException {
        String yaml = """
                name: %1$s
                environments:
                  bench: {keep_releases: 3}
                jobs:
                  deploy:
                    steps:
                      - run: printf '%%s\\n' "$BENCH_FLAGS" > flags
                    deploy:
                      environment: bench
                      release: {files: [flags]}
                      service:
                        command: exec java -cp '%2$s' dev.gantry.bench.DeployBenchService --port {{ port }} $(cat {{ release_dir }}/flags)
                        port: %3$d
                        ready: {http: {path: /health/ready, json: {model_loaded: true}}, startup_timeout: 1m}
                        stop: {signal: TERM, grace_period: 15s}
                      strategy: %4$s
                      gate:
                        - run: curl -sf "$GANTRY_RELEASE_URL/check"
                      gate_timeout: 1m
                      rollback: auto
                """.formatted(name, benchJar, port, strategy);
        Path file = dir.resolve(name + ".yml");
        Files.writeString(file, yaml);
        return file;
    }

    private static int port(Path pipeline) throws IOException {
        String yaml = Files.readString(pipeline);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("port: (\\d+)").matcher(yaml);
        if (!m.find()) {
            throw new IllegalStateException("no port in " + pipeline);
        }
        return Integer.parseInt(m.group(1));
    }

    /** Stops what the bench deployed, then ends any process of it still running (and says so: that is a bug). */
    private void cleanUp() throws Exception {
        for (String name : List.of("bench-deploy-bg", "bench-deploy-replace")) {
            Path file = dir.resolve(name + ".yml");
            if (Files.exists(file)) {
                new ProcessBuilder("java", "-jar", gantryJar.toString(), "deploy", "stop", "bench",
                        file.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("stop.log").toFile())
                        .start().waitFor();
            }
        }
        List<ProcessHandle> left = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("--run " + token)).orElse(false))
                .toList();
        for (ProcessHandle p : left) {
            System.out.println("left running after the stop, ended by the bench: pid " + p.pid() + " "
                    + p.info().commandLine().orElse(""));
            p.destroy();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String list(double[] v) {
        List<String> s = new ArrayList<>();
        for (double d : v) {
            s.add(String.format("%.0f", d));
        }
        return String.join(", ", s) + " ms";
    }

    /**
     * The least a stop-then-start can cost: the same service stopped and started again directly, no Gantry (what a
     * deploy script with {@code kill} and a readiness loop does at best).
     */
    static final class Baseline implements AutoCloseable {

        private final Path benchJar;
        private final int port;
        private final long loadMs;
        private final String token;
        private Process process;
        double measuredMs;

        Baseline(Path benchJar, int port, long loadMs, String token) throws Exception {
            this.benchJar = benchJar;
            this.port = port;
            this.loadMs = loadMs;
            this.token = token;
            this.process = start(benchJar, port, loadMs, token);
            awaitReady(port);
        }

        /** Milliseconds from SIGTERM to the running copy until a new copy on the same port reports ready. */
        double stopStartReady() throws Exception {
            long t0 = System.nanoTime();
            process.destroy();
            process.waitFor();
            process = start(benchJar, port, loadMs, token);
            awaitReady(port);
            measuredMs = (System.nanoTime() - t0) / 1e6;
            return measuredMs;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }

        private static Process start(Path benchJar, int port, long loadMs, String token) throws IOException {
            return new ProcessBuilder("java", "-cp", benchJar.toString(), DeployBenchService.class.getName(),
                    "--port", String.valueOf(port), "--id", "baseline", "--load-ms", String.valueOf(loadMs),
                    "--run", token).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        }

        private static void awaitReady(int port) throws Exception {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (ready(port)) {
                    return;
                }
                Thread.sleep(5);
            }
            throw new IllegalStateException("the bench service on port " + port + " was not ready after 60 s");
        }

        private static boolean ready(int port) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                s.setSoTimeout(2000);
                OutputStream out = s.getOutputStream();
                out.write("GET /health/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
                return head.endsWith("200");
            } catch (IOException e) {
                return false;
            }
        }
    }
}
