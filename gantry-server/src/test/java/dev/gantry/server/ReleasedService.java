package dev.gantry.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The long-running process of a release in the deploy tests, started by the engine as a real process:
 * {@code --port N} to listen on; {@code --unhealthy-while FILE}: {@code /health/ready} answers 503 while FILE
 * exists. {@code /pid} answers its process id, so a test can tell a restart from the same process; {@code /cwd} its
 * working directory, which is its release's directory.
 */
public final class ReleasedService {

    public static void main(String[] args) throws Exception {
        int port = 0;
        Path unhealthy = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--unhealthy-while" -> unhealthy = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path flag = unhealthy;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        server.createContext("/health/ready", ex -> {
            boolean ok = flag == null || !Files.exists(flag);
            send(ex, ok ? 200 : 503, ok ? "{\"model_loaded\":true}" : "{\"model_loaded\":false}");
        });
        server.createContext("/pid", ex -> send(ex, 200, Long.toString(ProcessHandle.current().pid())));
        server.createContext("/cwd", ex -> send(ex, 200, Path.of("").toAbsolutePath().toString()));
        server.start();
        System.out.println("serving on " + port + " as pid " + ProcessHandle.current().pid());
        Thread.currentThread().join();
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private ReleasedService() {
    }
}
