package dev.gantry.server;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.scheduler.EngineSettings;
import dev.gantry.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** A real server on a free loopback port with an embedded store in a temporary directory, and an HTTP client. */
final class ServerFixture implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final Path dataDir;
    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final Store store;
    final GantryServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    ServerFixture(Path dataDir) {
        this(dataDir, 2);
    }

    ServerFixture(Path dataDir, int maxBuilds) {
        this(settings(dataDir, maxBuilds, 0));
    }

    ServerFixture(ServerSettings settings) {
        this(settings, ServerLog.Format.TEXT);
    }

    ServerFixture(ServerSettings settings, ServerLog.Format format) {
        this.dataDir = settings.dataDir();
        this.store = Store.embedded(dataDir.resolve("db"));
        this.server = GantryServer.start(store, settings,
                new ServerLog(new PrintStream(logBytes, true, StandardCharsets.UTF_8), Clock.systemUTC(), format));
    }

    /** Caches are kept under the data directory, so tests share none with each other or with the machine. */
    static ServerSettings settings(Path dataDir, int maxBuilds, int port) {
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.put("GANTRY_CACHE_DIR", dataDir.resolve("caches").toString());
        return new ServerSettings(dataDir, "127.0.0.1", port, maxBuilds, Map.of("gpu", 0),
                new EngineSettings(2, false, env, Clock.systemUTC()), Duration.ofSeconds(1));
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    Response get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    Response post(String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    Response put(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).PUT(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"));
    }

    Response delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).DELETE());
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Registers a repository's pipeline. */
    JsonNode addPipeline(Path repo, String name, String checkEvery, String secret) {
        String body = "{\"repository\":\"" + repo + "\",\"name\":\"" + name + "\",\"check_every\":\"" + checkEvery
                + "\"" + (secret != null ? ",\"webhook_secret\":\"" + secret + "\"" : "") + "}";
        Response r = post("/api/pipelines", body);
        if (r.status() != 201) {
            throw new AssertionError("adding the pipeline answered " + r.status() + ": " + r.body());
        }
        return r.json();
    }

    /** Waits for build {@code number} of the pipeline to end and returns it. */
    JsonNode awaitBuild(String pipeline, long number, Duration within) {
        JsonNode[] found = new JsonNode[1];
        explainingTimeouts(() -> await().atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> {
            Response r = get("/api/pipelines/" + pipeline + "/builds/" + number);
            if (r.status() != 200) {
                return false;
            }
            found[0] = r.json();
            return !found[0].path("build").path("finished_at").isNull();
        }), pipeline + " #" + number, null);
        return found[0];
    }

    /**
     * Runs a wait; when it times out, the failure carries what the server knew of the build (its record, each
     * task's log) and the server's own log, so a rare hang can be read from the report.
     */
    void explainingTimeouts(Runnable wait, String build, String authorization) {
        try {
            wait.run();
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            StringBuilder why = new StringBuilder(e.getMessage()).append("\nwaiting for ").append(build);
            String[] parts = build.split(" #");
            String[] auth = authorization == null ? new String[0] : new String[] {"Authorization", authorization};
            String path = "/api/pipelines/" + parts[0] + "/builds/" + parts[1];
            Response b = get(path, auth);
            why.append("\nbuild: ").append(b.body());
            if (b.status() == 200) {
                b.json().path("build").path("tasks").forEach(t -> why.append("\nlog of ").append(t.path("name")
                        .asText()).append(": ").append(get(path + "/logs/" + java.net.URLEncoder.encode(
                        t.path("name").asText(), StandardCharsets.UTF_8).replace("+", "%20"), auth).body()));
            }
            why.append("\nserver log:\n").append(log());
            throw new AssertionError(why.toString(), e);
        }
    }

    /** How many checks of the pipeline's repository have ended, from the server's metrics. */
    double checks(String pipeline) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("gantry_checks_total\\{pipeline=\""
                + java.util.regex.Pattern.quote(pipeline) + "\"} (\\S+)").matcher(get("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** The embedded database, for a second connection beside the server's (it runs in H2's mixed mode). */
    String jdbcUrl() {
        return "jdbc:h2:file:" + dataDir.resolve("db").toAbsolutePath().resolve("gantry") + ";AUTO_SERVER=TRUE";
    }

    /** The server's store, for builds a test records into it as {@code gantry run} would record them. */
    Store store() {
        return store;
    }

    long buildCount(String pipeline) {
        return get("/api/builds?pipeline=" + pipeline).json().path("total").asLong();
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }

    record Response(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
