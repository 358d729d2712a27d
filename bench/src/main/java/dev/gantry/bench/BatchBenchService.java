package dev.gantry.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service {@code bench/batch} drives: {@code --workers} requests at a time, each taking {@code --work-ms}
 * (a sleep, like a model busy on an accelerator) and answering {@code --bytes} of {@code audio/wav}. Its capacity is
 * workers ÷ work-ms. {@code GET /stats} tells how many requests it served and their mean handling time, which the
 * bench subtracts to find what the client adds.
 *
 * <p>Usage: {@code java -cp gantry-bench.jar dev.gantry.bench.BatchBenchService WORKERS WORK_MS BYTES}; prints
 * {@code port N} when listening.
 */
public final class BatchBenchService {

    public static void main(String[] args) throws Exception {
        int workers = Integer.parseInt(args[0]);
        long workMs = Long.parseLong(args[1]);
        byte[] answer = new byte[Integer.parseInt(args[2])];
        byte[] riff = "RIFF".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(riff, 0, answer, 0, riff.length);
        AtomicLong served = new AtomicLong();
        AtomicLong handlingMicros = new AtomicLong();
        System.setProperty("sun.net.httpserver.nodelay", "true"); // else each answer waits ~40 ms for an ACK
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(Executors.newFixedThreadPool(workers));
        server.createContext("/tts", ex -> {
            long t0 = System.nanoTime();
            byte[] body = ex.getRequestBody().readAllBytes();
            try {
                Thread.sleep(workMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            boolean ok = body.length > 0 && body[0] == '{';
            ex.getResponseHeaders().add("Content-Type", ok ? "audio/wav" : "application/json");
            byte[] out = ok ? answer : "{\"error\":\"expected a JSON body\"}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(ok ? 200 : 400, out.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(out);
            }
            served.incrementAndGet();
            handlingMicros.addAndGet((System.nanoTime() - t0) / 1000);
        });
        server.createContext("/stats", ex -> {
            byte[] out = ("{\"served\":" + served.get() + ",\"handling_us\":" + handlingMicros.get() + "}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, out.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(out);
            }
        });
        server.start();
        System.out.println("port " + server.getAddress().getPort());
        System.out.flush();
    }
}
