package dev.gantry.engine.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP service for tests, started as a real process by the engine. Options:
 * {@code --port N --name X --ready-after MS --crash-after MS --exit-code N --flap-ready --live-fail-after MS
 * --live-flap --say-when-ready TEXT --record FILE --mode good|silent}, and for restarts: {@code --starts FILE}
 * (a line per start, written once it listens), {@code --crash-at-start N} (the Nth start, counted in that file,
 * crashes before it listens), {@code --loading-at-start N} (the Nth start never becomes ready), {@code --exit-on FILE} (once it has answered ready, it takes FILE away and exits at
 * once, as a crash does), {@code --wedge-on FILE} (once FILE appears, it takes it away and its live probe fails
 * from then on), {@code --live-fail-while FILE} (its live probe fails while FILE exists) and
 * {@code --die-at-request N} (its first start dies, as a crash does, at its Nth {@code /tts} request, before
 * answering it).
 */
public final class FakeService {

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
                o.put(args[i].substring(2), flag ? "true" : args[++i]);
            }
        }
        String name = o.getOrDefault("name", "fake");
        long start = System.currentTimeMillis();
        long readyAfter = Long.parseLong(o.getOrDefault("ready-after", "0"));
        long liveFailAfter = Long.parseLong(o.getOrDefault("live-fail-after", "-1"));
        AtomicInteger readyCalls = new AtomicInteger();
        AtomicInteger liveCalls = new AtomicInteger();
        AtomicBoolean answeredReady = new AtomicBoolean();
        AtomicBoolean wedged = new AtomicBoolean();
        System.out.println(name + " loading the model");
        Path starts = o.containsKey("starts") ? Path.of(o.get("starts")) : null;
        int startNumber = starts == null ? 1 : (Files.exists(starts) ? Files.readAllLines(starts).size() : 0) + 1;
        if (String.valueOf(startNumber).equals(o.get("crash-at-start"))) {
            System.out.println(name + ": start " + startNumber + " crashes");
            System.exit(Integer.parseInt(o.getOrDefault("exit-code", "3")));
        }
        if (o.containsKey("crash-after")) {
            Thread.sleep(Long.parseLong(o.get("crash-after")));
            System.out.println(name + ": CUDA out of memory");
            System.exit(Integer.parseInt(o.getOrDefault("exit-code", "3")));
        }
        // before the port opens: a tcp probe may call it ready, and stop it, the moment it is bound
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (o.containsKey("record")) {
                try {
                    Files.writeString(Path.of(o.get("record")), "stopped " + name + "\n", StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }
        }));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1",
                Integer.parseInt(o.get("port"))), 16);
        server.createContext("/health/ready", ex -> {
            boolean ready = System.currentTimeMillis() - start >= readyAfter
                    && !String.valueOf(startNumber).equals(o.get("loading-at-start"));
            if (o.containsKey("flap-ready")) {
                ready = readyCalls.incrementAndGet() % 2 == 0;
            }
            send(ex, ready ? 200 : 503, ready ? "{\"status\":\"ready\",\"model_loaded\":true}"
                    : "{\"status\":\"loading\",\"model_loaded\":false}");
            if (ready) {
                answeredReady.set(true);
            }
        });
        server.createContext("/health/live", ex -> {
            boolean ok = liveFailAfter < 0 || System.currentTimeMillis() - start < liveFailAfter;
            if (o.containsKey("live-flap")) {
                ok = liveCalls.incrementAndGet() % 2 == 0;
            }
            if (o.containsKey("wedge-on") && Files.deleteIfExists(Path.of(o.get("wedge-on")))) {
                wedged.set(true);
            }
            if (wedged.get() || o.containsKey("live-fail-while") && Files.exists(Path.of(o.get("live-fail-while")))) {
                ok = false;
            }
            send(ex, ok ? 200 : 500, ok ? "alive" : "wedged");
        });
        server.createContext("/port", ex -> send(ex, 200, o.get("port")));
        server.createContext("/name", ex -> send(ex, 200, name));
        // an inference endpoint: --mode silent answers 200 with silence, as a broken model would
        AtomicInteger ttsCalls = new AtomicInteger();
        int dieAt = startNumber == 1 ? Integer.parseInt(o.getOrDefault("die-at-request", "0")) : 0;
        server.createContext("/tts", ex -> {
            if (ttsCalls.incrementAndGet() == dieAt) {
                System.out.println(name + ": died at request " + dieAt);
                System.out.flush();
                Runtime.getRuntime().halt(137);
            }
            send(ex, 200, "silent".equals(o.get("mode")) ? "silence" : "speech");
        });
        server.start();
        if (starts != null) {
            Files.writeString(starts, "start " + startNumber + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        if (o.containsKey("exit-on")) {
            exitOn(Path.of(o.get("exit-on")), answeredReady, name, Integer.parseInt(o.getOrDefault("exit-code", "3")));
        }
        if (o.containsKey("say-when-ready")) {
            Thread.sleep(readyAfter);
            System.out.println(o.get("say-when-ready"));
        }
        Thread.currentThread().join();
    }

    /** Once it has answered ready, exits the moment {@code file} appears (taking it away), skipping shutdown hooks. */
    private static void exitOn(Path file, AtomicBoolean answeredReady, String name, int code) {
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    if (answeredReady.get() && Files.deleteIfExists(file)) {
                        System.out.println(name + ": told to exit");
                        System.out.flush();
                        Runtime.getRuntime().halt(code);
                    }
                    Thread.sleep(20);
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, "exit-on");
        t.setDaemon(true);
        t.start();
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private FakeService() {
    }
}
