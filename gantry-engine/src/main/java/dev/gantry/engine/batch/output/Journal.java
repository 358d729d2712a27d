package dev.gantry.engine.batch.output;

import dev.gantry.core.batch.BatchSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends to {@code results.jsonl} and {@code errors.jsonl} in batches ({@link BatchSpec.Flush}): after {@code every}
 * lines, once the oldest unwritten line is {@code after} old, or once the pending lines hold 8 MiB, both files are
 * written and synced. A crash loses at most the lines of one batch, whose items a rerun does again. A result line is
 * appended only after its file was renamed into place. Thread-safe.
 */
public final class Journal implements AutoCloseable {

    /** Pending lines are written once they hold this much, whatever {@code every} says: JSON answers can be large. */
    static final long MAX_PENDING_BYTES = 8 << 20;

    private final Path dir;
    private final FileChannel results;
    private final FileChannel errors;
    private final int every;
    private final long afterNanos;
    private final ByteArrayOutputStream pendingResults = new ByteArrayOutputStream();
    private final ByteArrayOutputStream pendingErrors = new ByteArrayOutputStream();
    private int pending;
    private long oldestNanos;
    private boolean closed;

    /** What lands in the output: a rename into place, a stale file removed, and the line that records it. */
    public interface Commit {
        void run() throws IOException;
    }

    public Journal(Path dir, BatchSpec.Flush flush) throws IOException {
        this.dir = dir;
        this.results = open(dir.resolve(BatchSpec.RESULTS));
        try {
            this.errors = open(dir.resolve(BatchSpec.ERRORS));
        } catch (IOException e) {
            results.close();
            throw e;
        }
        this.every = Math.max(1, flush.every());
        this.afterNanos = flush.after().toNanos();
    }

    private static FileChannel open(Path file) throws IOException {
        // never through a link planted in the output (OutputDirectory.prepare refuses one; this closes the race)
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                LinkOption.NOFOLLOW_LINKS);
    }

    public void result(JournalLines.Result line) throws IOException {
        add(pendingResults, line.toJson());
    }

    /** Appends a result line already encoded by {@link JournalLines.Result#toJson()}. */
    public void result(byte[] encoded) throws IOException {
        add(pendingResults, encoded);
    }

    public void error(JournalLines.Error line) throws IOException {
        add(pendingErrors, line.toJson());
    }

    /**
     * Runs {@code commit} under the journal's lock while the run is open; refused once it is closed. A worker that
     * outlives its run (it did not stop when told) thus cannot put a file in place, nor record one, after the journal
     * was closed and the output's lock released to the next run.
     */
    public synchronized void whileOpen(Commit commit) throws IOException {
        requireOpen();
        commit.run();
    }

    private void requireOpen() throws IOException {
        if (closed) {
            throw new IOException("the batch run has ended: nothing more is recorded");
        }
    }

    private synchronized void add(ByteArrayOutputStream to, byte[] line) throws IOException {
        requireOpen();
        if (pending == 0) {
            oldestNanos = System.nanoTime();
        }
        to.write(line);
        to.write('\n');
        pending++;
        if (pending >= every || pendingResults.size() + (long) pendingErrors.size() >= MAX_PENDING_BYTES) {
            flush();
        }
    }

    /** Writes the pending lines if the oldest has waited {@code after}. */
    public synchronized void flushIfDue() throws IOException {
        if (!closed && pending > 0 && System.nanoTime() - oldestNanos >= afterNanos) {
            flush();
        }
    }

    /**
     * Writes and syncs every pending line. The directory is synced first: the renames that put the answers of these
     * lines in place (and the removals of stale ones) become durable before the lines, once per batch of lines rather
     * than once per file.
     */
    public synchronized void flush() throws IOException {
        if (pending == 0) {
            return;
        }
        // a FileChannel used by an interrupted thread closes itself (ClosedByInterruptException) and the lines are
        // lost: a stopping batch interrupts its threads, so the interrupt waits until the lines are written
        boolean interrupted = Thread.interrupted();
        try {
            OutputDirectory.syncDirectory(dir);
            write(results, pendingResults);
            write(errors, pendingErrors);
            pending = 0;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void write(FileChannel ch, ByteArrayOutputStream buf) throws IOException {
        if (buf.size() == 0) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(buf.toByteArray());
        while (b.hasRemaining()) {
            ch.write(b);
        }
        ch.force(false);
        buf.reset();
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            closed = true;
            try {
                results.close();
            } finally {
                errors.close();
            }
        }
    }
}
