package dev.gantry.engine.cache;

import dev.gantry.engine.stream.BlockQueueStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a stream ahead on a thread of its own, a few blocks at most, so that producing the bytes (decompressing
 * an archive) and consuming them (writing its files) overlap, as {@code zstd -d | tar -x} runs two processes.
 * Closing it stops the reader; an error of the source is thrown to the consumer where it would have been read.
 */
final class ReadAhead extends InputStream {

    private final BlockQueueStream out;
    private final Thread reader;

    ReadAhead(InputStream source, int blockSize, int blocksAhead) {
        BlockingQueue<Object> blocks = new ArrayBlockingQueue<>(blocksAhead);
        this.out = new BlockQueueStream(blocks, "ahead");
        this.reader = new Thread(() -> {
            try {
                while (true) {
                    byte[] b = source.readNBytes(blockSize);
                    if (b.length == 0) {
                        blocks.put(BlockQueueStream.END);
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
        return out.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return out.read(b, off, len);
    }

    @Override
    public void close() {
        reader.interrupt();
    }
}
