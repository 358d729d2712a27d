package dev.gantry.engine.batch;

import dev.gantry.core.batch.BatchFigures;
import dev.gantry.core.batch.Latencies;

/** What a running batch tells: the step's log and events, or the {@code gantry batch} terminal. */
public interface BatchListener {

    /** About once a second, and once at the end: the figures, and the latencies since the previous call. */
    void progress(BatchFigures figures, Latencies sinceLast);

    /** A line for the log: what a resume found, a pause while the service is down, why the batch stopped. */
    void note(String line);
}
