package dev.gantry.docker.container;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.gantry.engine.stream.BlockQueueStream;
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

    private final LinkedBlockingQueue<Object> frames = new LinkedBlockingQueue<>();
    private final BlockQueueStream out = new BlockQueueStream(frames, "a container's output");
    private final CompletableFuture<Void> done = new CompletableFuture<>();
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
        frames.add(BlockQueueStream.END);
    }

    CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public int read() throws IOException {
        return out.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return out.read(b, off, len);
    }
}
