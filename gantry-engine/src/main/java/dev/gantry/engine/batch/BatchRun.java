package dev.gantry.engine.batch;

import dev.gantry.core.batch.BatchSpec;
import dev.gantry.engine.cancel.Cancellation;
import java.nio.file.Path;

/** Runs one batch to its end (or until cancelled, or its target is gone); the one entry point for step and CLI. */
public final class BatchRun {

    private BatchRun() {
    }

    /**
     * @param directory what {@code spec}'s input and output are relative to
     */
    public static BatchResult run(BatchSpec spec, Path directory, BatchTarget target, BatchListener listener,
                                  Cancellation cancellation) {
        throw new UnsupportedOperationException("batch: not built yet");
    }
}
