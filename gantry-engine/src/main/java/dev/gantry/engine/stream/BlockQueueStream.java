package dev.gantry.engine.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.BlockingQueue;

/**
 * The blocks another thread puts in a queue, read as one stream: byte arrays in order, {@link #END} to end it, or an
 * {@link IOException} or {@link RuntimeException}, thrown to the reader where it was put. What is read ahead of a
 * cache's archive and a container's output both arrive this way.
 */
public final class BlockQueueStream extends InputStream {

    /** Put last: the stream ends there. */
    public static final byte[] END = new byte[0];

    private final BlockingQueue<Object> blocks;
    private final String what;
    private byte[] current = new byte[0];
    private int pos;
    private boolean ended;

    /** @param what what is read, for the message of a read that is interrupted ("a container's output") */
    public BlockQueueStream(BlockingQueue<Object> blocks, String what) {
        this.blocks = blocks;
        this.what = what;
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
                throw new InterruptedIOException("interrupted while reading " + what);
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
}
