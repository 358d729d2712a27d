package dev.gantry.bench;

import com.sun.net.httpserver.HttpServer;
import dev.gantry.core.pipeline.ProbeDef;
import dev.gantry.engine.probe.Probe;
import dev.gantry.engine.probe.ProbeResult;
import dev.gantry.engine.probe.ProbeTarget;
import dev.gantry.engine.probe.Probes;
import dev.gantry.engine.probe.Readiness;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Readiness detection delay: a real HTTP service turns ready at a random moment (0.3 to 2.3 s after start); the
 * delay is the time from that moment until the waiter reports ready. Gantry's {@link Readiness} (fast polling,
 * backing off to at most 100 ms) against a fixed 1-second polling loop with the same HTTP probe, in the same run.
 *
 * <p>Usage: {@code bench/probe/run [trials]} (default 20).
 */
public final class ProbeBench {

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Random random = new Random(42);
        double[] gantry = new double[trials];
        double[] fixed = new double[trials];
        ProbeDef def = new ProbeDef(ProbeDef.Kind.HTTP, new ProbeDef.HttpCheck("/health/ready", "GET", null, 200, 399,
                Map.of("model_loaded", "true")), 0, null, null, Duration.ZERO, Duration.ofSeconds(2),
                Duration.ofSeconds(1), 1, 3, Duration.ofMinutes(1));
        System.out.printf("readiness detection delay, %d trials, service ready 0.3-2.3 s after start%n", trials);
        for (int t = 0; t < trials; t++) {
            long readyAfter = 300 + random.nextInt(2000);
            gantry[t] = trial(readyAfter, probe -> Readiness.await(probe, def, () -> false), def);
            fixed[t] = trial(readyAfter, probe -> fixedPolling(probe, def), def);
            System.out.printf("trial %2d: ready after %4d ms; gantry noticed %6.1f ms later, 1 s polling %6.1f ms later%n",
                    t + 1, readyAfter, gantry[t], fixed[t]);
        }
        System.out.printf("gantry:         median %6.1f ms, p95 %6.1f ms%n", Stats.pct(gantry, 50), Stats.pct(gantry, 95));
        System.out.printf("1 s polling:    median %6.1f ms, p95 %6.1f ms%n", Stats.pct(fixed, 50), Stats.pct(fixed, 95));
        System.out.printf("ratio (median): %.3f of the fixed-polling delay (target: median under 100 ms)%n",
                Stats.pct(gantry, 50) / Stats.pct(fixed, 50));
    }

    /** A waiting strategy under test. */
    interface Waiter {
        void await(Probe probe) throws Exception;
    }

    /** Milliseconds between the service turning ready and {@code waiter} returning. */
    private static double trial(long readyAfterMs, Waiter waiter, ProbeDef def) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        long start = System.nanoTime();
        long readyAt = start + readyAfterMs * 1_000_000;
        server.createContext("/health/ready", ex -> {
            boolean ready = System.nanoTime() >= readyAt;
            byte[] body = (ready ? "{\"status\":\"ready\",\"model_loaded\":true}"
                    : "{\"status\":\"loading\",\"model_loaded\":false}").getBytes();
            ex.sendResponseHeaders(ready ? 200 : 503, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            Probe probe = Probes.create(def, new ProbeTarget("127.0.0.1", server.getAddress().getPort(), Map.of(),
                    java.nio.file.Path.of("."), List.of("bash", "-c")));
            waiter.await(probe);
            return (System.nanoTime() - readyAt) / 1e6;
        } finally {
            server.stop(0);
        }
    }

    private static void fixedPolling(Probe probe, ProbeDef def) throws InterruptedException {
        while (true) {
            ProbeResult r = probe.check(def.timeout());
            if (r.success()) {
                return;
            }
            Thread.sleep(1000);
        }
    }

    private ProbeBench() {
    }
}
