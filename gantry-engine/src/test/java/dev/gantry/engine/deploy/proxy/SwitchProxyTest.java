package dev.gantry.engine.deploy.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.gantry.engine.deploy.EnvironmentDirectory;
import dev.gantry.engine.service.PortAllocator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blue/green proxy as its own process: new connections follow a switch, open ones stay until they end. */
class SwitchProxyTest {

    @TempDir
    Path dir;

    private HttpServer blue;
    private HttpServer green;
    private ProxyControl proxy;
    private final int stable = PortAllocator.allocate();

    @BeforeEach
    void twoUpstreams() throws IOException {
        blue = server("blue");
        green = server("green");
        proxy = new ProxyControl(EnvironmentDirectory.of(dir, "proxy-" + UUID.randomUUID(), "staging"));
    }

    @AfterEach
    void stop() {
        proxy.stop();
        assertThat(proxy.isRunning()).isFalse();
        blue.stop(0);
        green.stop(0);
    }

    private static HttpServer server(String name) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        s.createContext("/", ex -> {
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        s.start();
        return s;
    }

    private static String body(Socket s) throws IOException {
        String r = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return r.substring(r.indexOf("\r\n\r\n") + 4);
    }

    private String get() throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), stable)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return body(s);
        }
    }

    @Test
    void anOpenConnectionFinishesOnTheOldUpstreamWhileNewOnesGoToTheNew() throws Exception {
        proxy.switchTo(stable, blue.getAddress().getPort(), Map.of("PATH", System.getenv("PATH")));
        assertThat(get()).isEqualTo("blue");
        try (Socket inFlight = new Socket(InetAddress.getLoopbackAddress(), stable)) {
            inFlight.setSoTimeout(30_000);
            OutputStream out = inFlight.getOutputStream();
            out.write("GET / HTTP/1.0\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // connected is not yet accepted: until the proxy has taken it, a switch would send it to green too
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> !proxy.awaitDrained(blue.getAddress().getPort(), Duration.ZERO));

            proxy.switchTo(stable, green.getAddress().getPort(), Map.of());

            assertThat(get()).isEqualTo("green");
            assertThat(proxy.awaitDrained(blue.getAddress().getPort(), Duration.ofMillis(300))).isFalse();
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(body(inFlight)).isEqualTo("blue");
        }
        assertThat(proxy.awaitDrained(blue.getAddress().getPort(), Duration.ofSeconds(30))).isTrue();
        assertThat(proxy.upstream()).isEqualTo(green.getAddress().getPort());
    }

    @Test
    void aClientThatResetsItsConnectionFreesItEvenWhenTheUpstreamKeepsItsSideOpen() throws Exception {
        try (java.net.ServerSocket sticky = new java.net.ServerSocket(0, 16, InetAddress.getLoopbackAddress())) {
            java.util.List<Socket> held = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(sticky.accept()); // never reads, never closes: a peer that keeps its side open
                    }
                } catch (IOException e) {
                    // closed by the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            int upstream = sticky.getLocalPort();
            proxy.switchTo(stable, upstream, Map.of());
            Socket client = new Socket(InetAddress.getLoopbackAddress(), stable);
            client.getOutputStream().write("GET / HTTP/1.0\r\n".getBytes(StandardCharsets.US_ASCII));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !held.isEmpty());

            client.setSoLinger(true, 0);
            client.close(); // a reset, as a client that gave up sends

            assertThat(proxy.awaitDrained(upstream, Duration.ofSeconds(30)))
                    .as("the proxy ended both sides of the reset connection").isTrue();
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aRequestToADeadUpstreamFailsAtOnceInsteadOfHanging() throws Exception {
        int dead = PortAllocator.allocate();
        proxy.switchTo(stable, dead, Map.of());
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), stable)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer;
            try {
                answer = s.getInputStream().readAllBytes();
            } catch (java.net.SocketException reset) {
                answer = new byte[0];
            }
            assertThat(answer).as("the connection is closed without an answer").isEmpty();
        }
        assertThat(proxy.awaitDrained(dead, Duration.ofSeconds(30))).isTrue();
    }
}
