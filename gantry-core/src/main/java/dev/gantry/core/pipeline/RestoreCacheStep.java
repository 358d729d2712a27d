package dev.gantry.core.pipeline;

import java.util.List;

/**
 * Restores the first cache found for {@code keys} in order: for each key, an exact match first, then the newest
 * cache whose key starts with it. Finding none is not a failure.
 */
public record RestoreCacheStep(String name, List<String> keys, Location location, String path) implements StepDef {

    public static final String TYPE = "restore_cache";

    public RestoreCacheStep {
        keys = List.copyOf(keys);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
