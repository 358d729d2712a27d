package dev.gantry.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A shard's side of the engine's work queue: init once, then lease, run and acknowledge until done. */
final class QueueClient {

    /** Runs one batch; returns its exit code. */
    interface BatchRunner {
        int run(List<String> batch) throws Exception;
    }

    private static final Duration WAIT = Duration.ofMillis(100);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;
    private final String task;
    private final PrintStream err;

    QueueClient(String url, String task, PrintStream err) {
        this.url = url;
        this.task = task;
        this.err = err;
    }

    /**
     * Pulls and runs batches until the queue is done. Empty when the queue could not be reached at all (the caller
     * falls back to the static split); otherwise 0 when every batch passed, else the last failing exit code.
     */
    Optional<Integer> runAll(List<String> longestFirst, int batchSize, BatchRunner runner) throws Exception {
        HttpResponse<String> init;
        try {
            init = post("/init", String.join("\n", longestFirst));
        } catch (IOException e) {
            return Optional.empty();
        }
        if (init.statusCode() != 200) {
            throw new IOException("the test queue refused this shard: " + init.body());
        }
        int result = 0;
        int batches = 0;
        while (true) {
            HttpResponse<String> r = post("/lease?max=" + batchSize, "");
            if (r.statusCode() == 204) {
                err.println("gantry: queue done; this shard ran " + batches + " batches");
                return Optional.of(result);
            }
            if (r.statusCode() == 202) {
                Thread.sleep(WAIT.toMillis());
                continue;
            }
            if (r.statusCode() != 200) {
                throw new IOException("the test queue answered " + r.statusCode() + ": " + r.body());
            }
            List<String> batch = r.body().lines().filter(l -> !l.isBlank()).toList();
            int code = runner.run(batch);
            if (code != 0) {
                result = code;
            }
            batches++;
            post("/ack?lease=" + r.headers().firstValue("X-Gantry-Lease").orElse(""), "");
        }
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url + path)).header("X-Gantry-Task", task)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
