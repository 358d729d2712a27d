package dev.gantry.engine.exec;

import java.io.InputStream;
import java.time.Duration;

/** A started step: its merged output, its exit, and a way to stop it with everything it started. */
public interface StepProcess {

    /** Standard output and standard error, merged in the order they were written. */
    InputStream output();

    /** Blocks until the step's main process exits and returns its exit code. */
    int waitFor() throws InterruptedException;

    /** Completes with the exit code when the main process exits. */
    java.util.concurrent.CompletableFuture<Integer> exit();

    /**
     * Stops the whole process tree: {@code signal} (TERM, INT, HUP, QUIT or KILL), up to {@code grace} to exit,
     * then SIGKILL. Returns when none is left.
     */
    void stop(String signal, Duration grace);

    /** Stops the whole process tree: SIGTERM, {@code grace}, then SIGKILL. */
    default void stop(Duration grace) {
        stop("TERM", grace);
    }
}
