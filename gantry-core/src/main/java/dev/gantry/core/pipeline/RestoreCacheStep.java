package dev.gantry.core.pipeline;

import java.util.List;

/**
 * Restores the first cache found for {@code keys} in order: for each key, an exact match first, then the newest
 * cache whose key starts with it. Finding none is not a failure. Caches are the pipeline's own unless
 * {@code shared}: then only those that pipelines saved as shared.
 */
public record RestoreCacheStep(String name, List<String> keys, boolean shared, Location location, String path)
        implements StepDef {

    public static final String TYPE = "restore_cache";

    public RestoreCacheStep {
        keys = List.copyOf(keys);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
