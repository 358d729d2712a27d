package dev.gantry.engine.queue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * Serves one build's work queues to its tasks over HTTP on the loopback interface, one queue per job:
 * <pre>
 * POST /JOB/init          body: the items, one per line, longest first; the first shard's list wins
 * POST /JOB/lease?max=N   header X-Gantry-Task; 200 + X-Gantry-Lease and the items, 202 wait, 204 done
 * POST /JOB/ack?lease=ID
 * </pre>
 */
public final class QueueServer implements AutoCloseable {

    private final HttpServer http;
    private final Map<String, WorkQueue> queues = new ConcurrentHashMap<>();

    public QueueServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        http.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "gantry-queue");
            t.setDaemon(true);
            return t;
        }));
        http.createContext("/", this::handle);
        http.start();
    }

    /** The URL a job's tasks use, passed to them as {@code GANTRY_QUEUE_URL}. */
    public String url(String job) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/" + job;
    }

    /** Returns the unacknowledged batches of an ended task to its job's queue. */
    public void release(String job, String task) {
        WorkQueue q = queues.get(job);
        if (q != null) {
            q.release(task);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String[] parts = ex.getRequestURI().getPath().split("/");
            if (parts.length != 3 || !ex.getRequestMethod().equals("POST")) {
                send(ex, 404, "use POST /JOB/init|lease|ack");
                return;
            }
            String job = parts[1];
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            switch (parts[2]) {
                case "init" -> {
                    List<String> items = body.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
                    WorkQueue q = queues.computeIfAbsent(job, j -> new WorkQueue(items));
                    if (!q.order().equals(items)) {
                        send(ex, 409, "this shard's test list differs from the first shard's; every shard must "
                                + "list the same tests");
                    } else {
                        send(ex, 200, String.valueOf(items.size()));
                    }
                }
                case "lease" -> lease(ex, queues.get(job), query);
                case "ack" -> {
                    WorkQueue q = queues.get(job);
                    send(ex, q != null && q.ack(query.getOrDefault("lease", "")) ? 200 : 410, "");
                }
                default -> send(ex, 404, "unknown action " + parts[2]);
            }
        } catch (RuntimeException e) {
            send(ex, 500, String.valueOf(e));
        }
    }

    private void lease(HttpExchange ex, WorkQueue q, Map<String, String> query) throws IOException {
        if (q == null) {
            send(ex, 404, "no queue for this job yet: init it first");
            return;
        }
        String task = ex.getRequestHeaders().getFirst("X-Gantry-Task");
        int max = Integer.parseInt(query.getOrDefault("max", "1"));
        WorkQueue.Answer a = q.lease(task == null ? "unknown" : task, max);
        if (a instanceof WorkQueue.Answer.Batch b) {
            ex.getResponseHeaders().add("X-Gantry-Lease", b.lease());
            send(ex, 200, String.join("\n", b.items()));
        } else if (a instanceof WorkQueue.Answer.Wait) {
            send(ex, 202, "");
        } else {
            send(ex, 204, "");
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                String[] p = kv.split("=", 2);
                q.put(URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                        p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
            }
        }
        return q;
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        if (status == 204) {
            ex.sendResponseHeaders(204, -1);
            ex.close();
            return;
        }
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }
        ex.close();
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
