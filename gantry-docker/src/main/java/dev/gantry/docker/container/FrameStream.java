package dev.gantry.docker.container;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A container's or exec's output as one stream: docker-java delivers stdout and stderr frames on its own thread,
 * in the order the engine sent them; they are queued here and read by the step's output pump. Ends when the
 * engine closes the stream; {@link #done()} completes then (exceptionally when the connection was lost).
 */
final class FrameStream extends InputStream {

    private static final byte[] END = new byte[0];

    private final LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private byte[] current = new byte[0];
    private int pos;
    private boolean ended;
    private final boolean endsItself;

    /** A stream that ends when the engine closes it. */
    FrameStream() {
        this(true);
    }

    /**
     * @param endsItself false for a stream its owner ends ({@link #end()}) once it has added what it has to say
     *                   after the engine's output (an exec whose exit code cannot be had from a lost host)
     */
    FrameStream(boolean endsItself) {
        this.endsItself = endsItself;
    }

    /**
     * The callback to hand to docker-java's attach, exec or logs call; {@code lost} words the last line when the
     * stream breaks (the connection to the host was lost).
     */
    ResultCallback.Adapter<Frame> callback(java.util.function.Function<Throwable, String> lost) {
        return new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                if (frame.getStreamType() != StreamType.STDIN && frame.getPayload().length > 0) {
                    frames.add(frame.getPayload());
                }
            }

            @Override
            public void onError(Throwable error) {
                note(lost.apply(error));
                if (endsItself) {
                    end();
                }
                done.completeExceptionally(error);
            }

            @Override
            public void onComplete() {
                if (endsItself) {
                    end();
                }
                done.complete(null);
            }
        };
    }

    /** Adds a line of Gantry's own after what was received so far. */
    void note(String line) {
        frames.add((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Ends the stream after what was received and noted so far. */
    void end() {
        frames.add(END);
    }

    CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
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
            try {
                current = frames.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while reading a container's output");
            }
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
