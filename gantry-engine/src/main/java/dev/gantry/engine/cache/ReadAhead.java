package dev.gantry.engine.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a stream ahead on a thread of its own, a few blocks at most, so that producing the bytes (decompressing
 * an archive) and consuming them (writing its files) overlap, as {@code zstd -d | tar -x} runs two processes.
 * Closing it stops the reader; an error of the source is thrown to the consumer where it would have been read.
 */
final class ReadAhead extends InputStream {

    private static final byte[] END = new byte[0];

    private final BlockingQueue<Object> blocks;
    private final Thread reader;
    private byte[] current = new byte[0];
    private int pos;
    private boolean ended;

    ReadAhead(InputStream source, int blockSize, int blocksAhead) {
        this.blocks = new ArrayBlockingQueue<>(blocksAhead);
        this.reader = new Thread(() -> {
            try {
                while (true) {
                    byte[] b = source.readNBytes(blockSize);
                    if (b.length == 0) {
                        blocks.put(END);
                        return;
                    }
                    blocks.put(b.length == blockSize ? b : Arrays.copyOf(b, b.length));
                }
            } catch (IOException | RuntimeException e) {
                try {
                    blocks.put(e); // waits for room: a full queue must not lose the error (the consumer would hang)
                } catch (InterruptedException closed) {
                    // closed by the consumer
                }
            } catch (InterruptedException e) {
                // closed by the consumer
            }
        }, "read-ahead");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (pos >= current.length) {
            if (ended) {
                return -1;
            }
            Object next;
            try {
                next = blocks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading ahead");
            }
            if (next instanceof IOException e) {
                throw e;
            }
            if (next instanceof RuntimeException e) {
                throw e;
            }
            current = (byte[]) next;
            pos = 0;
            if (current == END) {
                ended = true;
                return -1;
            }
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public void close() {
        reader.interrupt();
    }
}
