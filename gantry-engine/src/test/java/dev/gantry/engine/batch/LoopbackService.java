package dev.gantry.engine.batch;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/1.1 server on 127.0.0.1 for batch tests, on a raw socket so that it can misbehave the ways services do:
 * answer, drop the connection before answering or halfway through the body, or stall past the client's timeout.
 * Requests are {@code /render/<id>}; what each gets is the behaviour's choice for that id and its attempt number, and
 * every request is recorded.
 */
final class LoopbackService implements AutoCloseable {

    /** What the service does with one request. */
    sealed interface Reply {
    }

    record Answer(int status, String contentType, Map<String, String> headers, byte[] body) implements Reply {
        Answer(int status, String contentType, byte[] body) {
            this(status, contentType, Map.of(), body);
        }
    }

    /** Closes the connection without a word. */
    record Drop() implements Reply {
    }

    /** Sends the headers and half the body, then closes. */
    record DropMidBody(String contentType, byte[] body) implements Reply {
    }

    /** Sends the headers and half the body, waits, then closes. */
    record StallMidBody(String contentType, byte[] body, Duration time) implements Reply {
    }

    /** Waits, then closes without answering. */
    record Stall(Duration time) implements Reply {
    }

    interface Behaviour {
        /** @param attempt 1 for the id's first request the service sees */
        Reply reply(String id, int attempt, byte[] requestBody);
    }

    /** One request as it arrived. */
    record Seen(String id, int attempt, long nanos) {
    }

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "loopback-service");
        t.setDaemon(true);
        return t;
    });
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Behaviour behaviour;

    LoopbackService(Behaviour behaviour) throws IOException {
        this.behaviour = behaviour;
        this.server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    void behaviour(Behaviour b) {
        this.behaviour = b;
    }

    /** Every request so far, in arrival order. */
    List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** Forgets what was seen (not the attempt counts). */
    void clearSeen() {
        seen.clear();
    }

    int attemptsOf(String id) {
        AtomicInteger n = attempts.get(id);
        return n == null ? 0 : n.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                sockets.add(s);
                threads.execute(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream());
             OutputStream out = new java.io.BufferedOutputStream(s.getOutputStream(), 1 << 16)) {
            while (true) {
                String requestLine = line(in);
                if (requestLine == null || requestLine.isEmpty()) {
                    return;
                }
                Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                String h;
                while ((h = line(in)) != null && !h.isEmpty()) {
                    int colon = h.indexOf(':');
                    headers.put(h.substring(0, colon).strip(), h.substring(colon + 1).strip());
                }
                int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                byte[] body = in.readNBytes(length);
                String path = requestLine.split(" ")[1];
                String id = path.substring(path.lastIndexOf('/') + 1);
                int attempt = attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                seen.add(new Seen(id, attempt, System.nanoTime()));
                Reply reply = behaviour.reply(id, attempt, body);
                if (!(reply instanceof Answer a)) {
                    if (reply instanceof DropMidBody d) {
                        out.write(head(200, d.contentType(), Map.of(), d.body().length));
                        out.write(d.body(), 0, d.body().length / 2);
                        out.flush();
                    } else if (reply instanceof StallMidBody sm) {
                        out.write(head(200, sm.contentType(), Map.of(), sm.body().length));
                        out.write(sm.body(), 0, sm.body().length / 2);
                        out.flush();
                        closed.await(sm.time().toMillis(), TimeUnit.MILLISECONDS);
                    } else if (reply instanceof Stall st) {
                        closed.await(st.time().toMillis(), TimeUnit.MILLISECONDS);
                    }
                    return;
                }
                out.write(head(a.status(), a.contentType(), a.headers(), a.body().length));
                out.write(a.body());
                out.flush();
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the client went away, or the test closed the service
        } finally {
            sockets.remove(s);
        }
    }

    private static byte[] head(int status, String contentType, Map<String, String> headers, int length) {
        StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(" X\r\n");
        if (contentType != null) {
            sb.append("Content-Type: ").append(contentType).append("\r\n");
        }
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("Content-Length: ").append(length).append("\r\n\r\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        server.close();
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        threads.shutdownNow();
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The bytes a well-behaved service renders for {@code id}: deterministic, of a size that varies by id. */
    static byte[] rendered(String id) {
        int size = 200 + Math.floorMod(id.hashCode(), 3000);
        byte[] out = new byte[size];
        byte[] seed = ("RIFF" + id).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < size; i++) {
            out[i] = (byte) (seed[i % seed.length] + i / seed.length);
        }
        return out;
    }
}
