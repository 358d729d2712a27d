package dev.gantry.engine.deploy.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;

/**
 * The TCP proxy on a {@code blue_green} environment's stable port, run as a process of its own so it outlives
 * builds and the server. Each new connection goes to the port written in the upstream file (re-read when the file
 * changed); connections already open stay with the upstream they started on until they end, which is what lets a
 * deploy drain the old release before stopping it. It reports the upstream it uses and the connections open to
 * each in a state file the deploy reads.
 *
 * <p>Usage: {@code SwitchProxy --port STABLE --upstream FILE --state FILE}.
 */
public final class SwitchProxy {

    private final Path upstreamFile;
    private final Path stateFile;
    private final Map<Integer, Integer> open = new TreeMap<>();
    private Object upstreamKey;
    private int upstream;

    private SwitchProxy(Path upstreamFile, Path stateFile) {
        this.upstreamFile = upstreamFile;
        this.stateFile = stateFile;
    }

    public static void main(String[] args) throws IOException {
        int port = 0;
        Path upstream = null;
        Path state = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--upstream" -> upstream = Path.of(args[i + 1]);
                case "--state" -> state = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (port <= 0 || upstream == null || state == null) {
            System.err.println("usage: SwitchProxy --port STABLE --upstream FILE --state FILE");
            System.exit(2);
        }
        new SwitchProxy(upstream, state).serve(port);
    }

    private void serve(int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(port), 512);
        synchronized (this) {
            refresh();
            writeState();
        }
        System.out.println("proxy listening on port " + port + ", upstream " + upstream);
        Thread watcher = new Thread(this::watch, "upstream-watcher");
        watcher.setDaemon(true);
        watcher.start();
        while (true) {
            Socket client = server.accept();
            int target;
            synchronized (this) {
                refresh();
                target = upstream;
                open.merge(target, 1, Integer::sum);
                writeState();
            }
            Thread t = new Thread(() -> forward(client, target), "conn-" + target);
            t.setDaemon(true);
            t.start();
        }
    }

    /** Notices a switch even while no connection arrives, so a deploy need not wait for traffic to see it. */
    private void watch() {
        while (true) {
            synchronized (this) {
                int before = upstream;
                refresh();
                if (before != upstream) {
                    System.out.println("upstream now " + upstream);
                    writeState();
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void forward(Socket client, int target) {
        try (client; Socket up = new Socket()) {
            up.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 10_000);
            up.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
            Thread back = new Thread(() -> pump(up, client), "back-" + target);
            back.setDaemon(true);
            back.start();
            pump(client, up);
            back.join();
        } catch (IOException e) {
            // the client sees its connection closed, as it would with the service itself
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (this) {
                open.merge(target, -1, Integer::sum);
                if (open.get(target) <= 0) {
                    open.remove(target);
                }
                writeState();
            }
        }
    }

    /**
     * Copies one direction until it ends. A clean end (EOF) is passed on as a half-close, so the other direction can
     * still finish (a request sent, then the answer read); a reset or a failed write ends the connection both ways,
     * so the other direction's thread never waits forever on a peer that keeps its side open.
     */
    private static void pump(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buf = new byte[16 * 1024];
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closed already
        }
    }

    /** Re-reads the upstream port when the file was replaced or changed; keeps the old one if it is unreadable. */
    private void refresh() {
        try {
            BasicFileAttributes a = Files.readAttributes(upstreamFile, BasicFileAttributes.class);
            Object key = java.util.List.of(String.valueOf(a.fileKey()), a.lastModifiedTime(), a.size());
            if (key.equals(upstreamKey)) {
                return;
            }
            upstream = Integer.parseInt(Files.readString(upstreamFile).trim());
            upstreamKey = key;
        } catch (IOException | NumberFormatException e) {
            // being replaced: the next look sees the new one
        }
    }

    private void writeState() {
        StringBuilder b = new StringBuilder("upstream=" + upstream + "\n");
        open.forEach((port, n) -> b.append("open.").append(port).append('=').append(n).append('\n'));
        Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, b.toString(), StandardCharsets.UTF_8);
            Files.move(tmp, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            System.err.println("cannot write " + stateFile + ": " + e.getMessage());
        }
    }
}
