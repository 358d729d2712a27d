package dev.gantry.docker.container;

import dev.gantry.engine.exec.StepProcess;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** What a step in a container and a service container share: output streamed from the engine, an exit to await. */
abstract class StreamedProcess implements StepProcess {

    /** The exit code of a process whose host was lost, like ssh's for a lost connection. */
    static final int LOST = 255;

    private final FrameStream output;
    private final CompletableFuture<Integer> exit;

    StreamedProcess(FrameStream output, CompletableFuture<Integer> exit) {
        this.output = output;
        this.exit = exit;
    }

    @Override
    public InputStream output() {
        return output;
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            return exit.get();
        } catch (ExecutionException e) {
            return LOST;
        }
    }

    @Override
    public CompletableFuture<Integer> exit() {
        return exit;
    }
}
