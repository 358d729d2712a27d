package dev.gantry.engine.batch;

import dev.gantry.core.batch.BatchFigures;
import dev.gantry.core.batch.Latencies;

/**
 * How a batch ended.
 *
 * @param latencies every successful request of this run
 * @param failure   why it stopped before every item ended in results or errors (cancelled, its service gone, its
 *                  output not writable), or null; what was done is kept either way, and a rerun resumes
 */
public record BatchResult(BatchFigures figures, Latencies latencies, String failure) {

    public boolean complete() {
        return failure == null;
    }
}
