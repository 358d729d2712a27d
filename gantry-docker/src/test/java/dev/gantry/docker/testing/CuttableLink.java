package dev.gantry.docker.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP port on 127.0.0.1 forwarded to a Docker engine's unix socket, as a network link to a remote engine would
 * carry its API: {@link #cut()} drops every connection and stops answering (the host is lost, its engine and
 * containers running on), {@link #restore()} answers again on the same port.
 */
public final class CuttableLink implements AutoCloseable {

    private final Path socket;
    private final int port;
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;

    private CuttableLink(Path socket, int port) {
        this.socket = socket;
        this.port = port;
    }

    /** Forwards {@code tcp://127.0.0.1:port} to the engine at {@code unixUrl}. */
    public static CuttableLink open(String unixUrl, int port) {
        CuttableLink link = new CuttableLink(Path.of(unixUrl.substring("unix://".length())), port);
        link.restore();
        return link;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Answers (again) on the port. */
    public synchronized void restore() {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server = s;
            Thread accept = new Thread(() -> accept(s), "link-accept-" + port);
            accept.setDaemon(true);
            accept.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops every connection and stops answering. */
    public synchronized void cut() {
        closeQuietly(server);
        for (AutoCloseable c : open) {
            closeQuietly(c);
        }
        open.clear();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                synchronized (this) {
                    if (s.isClosed()) { // cut while this one connected: it must not outlive the cut
                        closeQuietly(client);
                        continue;
                    }
                    open.add(client);
                }
                SocketChannel engine = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                open.add(engine);
                java.util.concurrent.atomic.AtomicInteger ends = new java.util.concurrent.atomic.AtomicInteger();
                // the channel's own read and write (Channels' streams would share one lock and deadlock)
                pump(client.getInputStream(), writer(engine), () -> engine.shutdownOutput(), ends, client, engine);
                pump(reader(engine), client.getOutputStream(), client::shutdownOutput, ends, client, engine);
            } catch (IOException e) {
                // closed by cut(), or the engine refused: the client sees its connection end
            }
        }
    }

    /** Copies one direction; its end half-closes the other side (a client may end its request early, as a hijacked
     * exec does), and both sockets close once both directions have ended. */
    private static void pump(InputStream from, OutputStream to, AutoCloseable halfClose,
                             java.util.concurrent.atomic.AtomicInteger ends, AutoCloseable a, AutoCloseable b) {
        Thread t = new Thread(() -> {
            try {
                from.transferTo(to);
                to.flush();
                halfClose.close();
            } catch (Exception e) {
                closeQuietly(a); // a broken direction ends the connection
                closeQuietly(b);
            } finally {
                if (ends.incrementAndGet() == 2) {
                    closeQuietly(a);
                    closeQuietly(b);
                }
            }
        }, "link-pump");
        t.setDaemon(true);
        t.start();
    }

    private static InputStream reader(SocketChannel channel) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return channel.read(java.nio.ByteBuffer.wrap(b, off, len));
            }
        };
    }

    private static OutputStream writer(SocketChannel channel) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
            }
        };
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception e) {
            // closed already
        }
    }

    @Override
    public void close() {
        cut();
    }
}
