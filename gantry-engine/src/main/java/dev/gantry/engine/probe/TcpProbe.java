package dev.gantry.engine.probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Passes when a TCP connection opens. */
final class TcpProbe implements Probe {

    private final String host;
    private final int port;

    TcpProbe(String host, int port) {
        this.host = host;
        this.port = port;
    }

    @Override
    public ProbeResult check(Duration timeout) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            return ProbeResult.ok("connected to " + host + ":" + port);
        } catch (IOException e) {
            return ProbeResult.fail("cannot connect to " + host + ":" + port + ": " + e.getMessage());
        }
    }
}
