package dev.gantry.engine.deploy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Follows a release's {@code service.log} from where it ends now, passing each new line on (for {@code log}
 * readiness probes, since a detached release writes to a file, not to Gantry).
 */
final class LogTail implements AutoCloseable {

    private final Thread thread;
    private volatile boolean closed;

    private LogTail(Path file, Consumer<String> lines) {
        long start = file.toFile().length();
        thread = new Thread(() -> follow(file, start, lines), "log-tail");
        thread.setDaemon(true);
        thread.start();
    }

    static LogTail follow(Path file, Consumer<String> lines) {
        return new LogTail(file, lines);
    }

    private void follow(Path file, long from, Consumer<String> lines) {
        long pos = from;
        StringBuilder partial = new StringBuilder();
        while (!closed) {
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                if (f.length() > pos) {
                    f.seek(pos);
                    byte[] b = new byte[(int) Math.min(f.length() - pos, 1 << 20)];
                    f.readFully(b);
                    pos += b.length;
                    partial.append(new String(b, StandardCharsets.UTF_8));
                    for (int nl; (nl = partial.indexOf("\n")) >= 0; ) {
                        lines.accept(partial.substring(0, nl));
                        partial.delete(0, nl + 1);
                    }
                }
            } catch (IOException e) {
                // not created yet
            }
            ReleaseProcesses.sleep(20);
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
