package dev.gantry.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fast model service {@code bench/deploy} deploys: it behaves like the example TTS service (ready only after a
 * load time, a graceful drain on SIGTERM) but starts in well under a second, so that the benchmark measures the
 * deploy, not the model.
 *
 * <pre>
 * GET /health/ready  503 until --load-ms has passed, then 200 {"model_loaded":true}
 * GET /infer         200 "voice ID" after --infer-ms; a --broken release answers 200 "silence ID"
 * GET /check         the gate's request: 200, or 500 from a --broken release (the moment is appended to --gate-log)
 * </pre>
 *
 * <p>{@code --run TOKEN} only marks the command line, so that the benchmark can find (and end) a process it left.
 */
public final class DeployBenchService {

    private DeployBenchService() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].substring(2);
            o.put(name, name.equals("broken") ? "true" : args[++i]);
        }
        int port = Integer.parseInt(o.get("port"));
        String id = o.getOrDefault("id", "?");
        long loadMs = Long.parseLong(o.getOrDefault("load-ms", "300"));
        long inferMs = Long.parseLong(o.getOrDefault("infer-ms", "10"));
        boolean broken = o.containsKey("broken");
        Path gateLog = o.containsKey("gate-log") ? Path.of(o.get("gate-log")) : null;

        long readyAt = System.nanoTime() + loadMs * 1_000_000;
        AtomicInteger inFlight = new AtomicInteger();
        Object state = new Object();
        boolean[] draining = {false};
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        http.setExecutor(Executors.newFixedThreadPool(16));
        http.createContext("/health/ready", ex -> {
            boolean ready = System.nanoTime() >= readyAt && !draining[0];
            respond(ex, ready ? 200 : 503, "{\"model_loaded\":" + ready + ",\"id\":\"" + id + "\"}");
        });
        http.createContext("/infer", ex -> {
            synchronized (state) {
                if (draining[0] || System.nanoTime() < readyAt) {
                    respond(ex, 503, "not serving");
                    return;
                }
                inFlight.incrementAndGet();
            }
            try {
                Thread.sleep(inferMs);
                respond(ex, 200, (broken ? "silence " : "voice ") + id);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
        });
        http.createContext("/check", ex -> {
            if (broken && gateLog != null) {
                Files.writeString(gateLog, Instant.now() + " " + id + "\n", StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            respond(ex, broken ? 500 : 200, broken ? "silence" : "voice");
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (state) {
                draining[0] = true;
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
            http.stop(0);
        }));
        http.start();
        System.out.println("bench service " + id + (broken ? " (broken)" : "") + " on port " + port);
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        ex.getRequestBody().readAllBytes();
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }
}
