package dev.gantry.engine.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 (a port from the OS) standing in for Slack or a webhook receiver: it keeps every
 * request, can answer 500 to the first N, and can hold its answers until a latch is opened.
 */
final class HttpReceiver implements AutoCloseable {

    /** One request as received: its path, headers (names lower-cased) and exact body bytes. */
    record Request(String path, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int failStatus = 500;
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private final CountDownLatch firstArrived = new CountDownLatch(1);

    HttpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT),
                    v.get(0)));
            requests.add(new Request(exchange.getRequestURI().getPath(), Map.copyOf(headers), body));
            firstArrived.countDown();
            try {
                hold.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int status = failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? failStatus : 200;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.setExecutor(threads);
        server.start();
    }

    /** The URL of {@code path} on this receiver. */
    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Answers {@code status} to the next {@code n} requests. */
    HttpReceiver failFirst(int n, int status) {
        failStatus = status;
        failuresLeft.set(n);
        return this;
    }

    /** Holds every answer until {@link #release} is called. */
    HttpReceiver holdAnswers() {
        hold = new CountDownLatch(1);
        return this;
    }

    void release() {
        hold.countDown();
    }

    boolean awaitFirstRequest() throws InterruptedException {
        return firstArrived.await(30, TimeUnit.SECONDS);
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }
}
