package dev.gantry.examples.tts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The text-to-speech HTTP service. It answers at once but reports {@code loading} until the voice is loaded and
 * warmed; {@code --warmup} adds a delay that imitates a large model's load time (it is exactly that: a sleep).
 * On SIGTERM it stops taking requests, finishes the ones in flight, then exits.
 *
 * <pre>
 * GET  /health/live   200 while the process runs
 * GET  /health/ready  503 {"status":"loading"} until ready, then 200 {"status":"ready","model_loaded":true}
 * POST /tts           {"text", "emotion": neutral|happy|sad|angry, "intensity": 0..1, "speed": 0.5..2,
 *                          "speaker": kevin|ava|morgan} → audio/wav
 * </pre>
 */
public final class TtsServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private enum State { LOADING, READY, DRAINING }

    private final HttpServer http;
    private final ExecutorService workers = Executors.newFixedThreadPool(8);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final long startedAt = System.nanoTime();
    private volatile State state = State.LOADING;
    private volatile Synthesizer synthesizer;
    private volatile long loadMillis;

    public TtsServer(String bind, int port) throws IOException {
        // the JDK's server writes an answer's headers and body apart; without TCP_NODELAY, Nagle's algorithm and the
        // client's delayed ACK hold the body back about 40 ms, on every request
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.http = HttpServer.create(new InetSocketAddress(bind, port), 64);
        http.setExecutor(workers);
        http.createContext("/health/live", ex -> respond(ex, 200, Map.of("status", "alive")));
        http.createContext("/health/ready", this::ready);
        http.createContext("/tts", this::tts);
        http.createContext("/", ex -> respond(ex, 404, Map.of("error", "no such endpoint: " + ex.getRequestURI()
                + "; try POST /tts, GET /health/ready, GET /health/live")));
    }

    /** Starts answering, then loads the model in the background; readiness turns true when it is loaded. */
    public TtsServer start(Supplier<Synthesizer> loader, Duration warmup) {
        http.start();
        Thread load = new Thread(() -> load(loader, warmup), "model-loader");
        load.setDaemon(true);
        load.start();
        return this;
    }

    int inFlight() {
        return inFlight.get();
    }

    public int port() {
        return http.getAddress().getPort();
    }

    private void load(Supplier<Synthesizer> loader, Duration warmup) {
        long t0 = System.nanoTime();
        Synthesizer s = loader.get();
        s.speak("Warming up.", Prosody.NEUTRAL);
        long left = warmup.toMillis() - (System.nanoTime() - t0) / 1_000_000;
        if (left > 0) {
            try {
                Thread.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        synthesizer = s;
        loadMillis = (System.nanoTime() - t0) / 1_000_000;
        state = State.READY;
        System.out.println("model loaded in " + loadMillis + " ms; ready on port " + port());
    }

    private void ready(HttpExchange ex) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", state.name().toLowerCase());
        body.put("model_loaded", state == State.READY);
        body.put("uptime_ms", (System.nanoTime() - startedAt) / 1_000_000);
        if (state == State.READY) {
            body.put("voice", "kevin16");
            body.put("load_ms", loadMillis);
        }
        respond(ex, state == State.READY ? 200 : 503, body);
    }

    private void tts(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        if (!ex.getRequestMethod().equals("POST")) {
            ex.getResponseHeaders().add("Allow", "POST");
            respond(ex, 405, Map.of("error", "use POST with a JSON body"));
            return;
        }
        State admittedIn = admit();
        if (admittedIn != State.READY) {
            respond(ex, 503, Map.of("error", admittedIn == State.LOADING ? "the model is still loading"
                    : "the service is shutting down"));
            return;
        }
        try {
            TtsRequest request;
            try {
                request = TtsRequest.parse(new String(body, StandardCharsets.UTF_8));
            } catch (TtsRequest.BadRequest e) {
                respond(ex, 400, Map.of("error", e.getMessage()));
                return;
            }
            long t0 = System.nanoTime();
            byte[] wav = synthesizer.speak(request.text(),
                    Prosody.of(request.emotion(), request.intensity(), request.speed())
                            .spokenBy(request.speaker()));
            ex.getResponseHeaders().add("Content-Type", "audio/wav");
            ex.getResponseHeaders().add("X-Synthesis-Ms", String.valueOf((System.nanoTime() - t0) / 1_000_000));
            ex.sendResponseHeaders(200, wav.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(wav);
            }
        } catch (RuntimeException e) {
            respond(ex, 500, Map.of("error", "synthesis failed: " + e.getMessage()));
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /**
     * Counts a request in when the service is ready, atomically with the state, so that {@link #close} either
     * refuses a request or waits for it, never cuts it off. Returns the state the request met.
     */
    private synchronized State admit() {
        if (state == State.READY) {
            inFlight.incrementAndGet();
        }
        return state;
    }

    private static void respond(HttpExchange ex, int status, Map<String, ?> body) throws IOException {
        byte[] b = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);

    /** Stops taking requests and waits (up to 30 s) for those in flight to finish. */
    @Override
    public void close() {
        synchronized (this) {
            state = State.DRAINING;
        }
        int pending = inFlight.get();
        if (pending > 0) {
            System.out.println("draining " + pending + " request(s) in flight");
        }
        // HttpServer.stop(delay) on JDK 17 waits the whole delay even when nothing is in flight (JDK-8304065),
        // so wait for our own count of requests in flight, then stop at once.
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        http.stop(0);
        workers.shutdown();
        System.out.println("stopped");
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = options(args);
        String port = opts.getOrDefault("port", System.getenv().getOrDefault("PORT", "8080"));
        Duration warmup = parseDuration(opts.getOrDefault("warmup", "0s"));
        boolean silent = opts.containsKey("silent");
        TtsServer server = new TtsServer(opts.getOrDefault("bind", "127.0.0.1"), Integer.parseInt(port));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "drain"));
        System.out.println("tts-service listening on port " + server.port() + "; loading the voice"
                + (warmup.isZero() ? "" : " (warm-up " + warmup.toMillis() + " ms)")
                + (silent ? "; --silent: every answer will be silence" : ""));
        server.start(() -> new Synthesizer(silent), warmup);
    }

    /** {@code --name value} pairs, and the flags that take no value ({@code --silent}) mapped to "true". */
    static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                usage("unexpected argument '" + args[i] + "'");
            }
            String name = args[i].substring(2);
            if (FLAGS.contains(name)) {
                opts.put(name, "true");
            } else if (!VALUED.contains(name)) {
                usage("unknown option " + args[i]);
            } else if (i + 1 == args.length) {
                usage("option " + args[i] + " needs a value");
            } else {
                opts.put(name, args[++i]);
            }
        }
        return opts;
    }

    private static final java.util.Set<String> FLAGS = java.util.Set.of("silent");
    private static final java.util.Set<String> VALUED = java.util.Set.of("port", "bind", "warmup");

    static Duration parseDuration(String text) {
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        if (text.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
        }
        if (text.endsWith("m")) {
            return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)) * 60);
        }
        throw new IllegalArgumentException("bad duration '" + text + "': use e.g. 500ms, 5s or 2m");
    }

    private static void usage(String problem) {
        System.err.println("tts-service: " + problem);
        System.err.println("usage: java -jar tts-service.jar [--port N] [--bind ADDRESS] [--warmup 5s] [--silent]");
        System.exit(2);
    }
}
