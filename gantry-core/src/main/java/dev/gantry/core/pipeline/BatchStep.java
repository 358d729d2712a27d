package dev.gantry.core.pipeline;

import dev.gantry.core.batch.BatchSpec;

/**
 * {@code batch:} renders a JSONL file through a service: the job's own ({@code service}, whose health pauses it and
 * whose restarts it waits for) or any other ({@code url}). Exactly one of the two is set.
 */
public record BatchStep(String name, BatchSpec spec, String service, Location serviceLocation, String url,
                        Location location, String path) implements StepDef {

    public static final String TYPE = "batch";

    @Override
    public String type() {
        return TYPE;
    }
}
