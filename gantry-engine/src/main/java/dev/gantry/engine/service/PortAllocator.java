package dev.gantry.engine.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out free local ports, each once: the kernel picks a free one, and ports handed out recently are
 * skipped so two services starting at the same moment never get the same one.
 */
public final class PortAllocator {

    private static final int REMEMBERED = 4096;
    private static final Deque<Integer> RECENT = new ArrayDeque<>();
    private static final Set<Integer> RECENT_SET = new HashSet<>();

    private PortAllocator() {
    }

    public static synchronized int allocate() {
        for (int tries = 0; tries < 100; tries++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
                port = s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot find a free local port", e);
            }
            if (RECENT_SET.add(port)) {
                RECENT.addLast(port);
                if (RECENT.size() > REMEMBERED) {
                    RECENT_SET.remove(RECENT.removeFirst());
                }
                return port;
            }
        }
        throw new IllegalStateException("no fresh free local port after 100 tries");
    }
}
