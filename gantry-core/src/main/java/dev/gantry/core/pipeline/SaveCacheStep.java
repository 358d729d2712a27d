package dev.gantry.core.pipeline;

import java.util.List;

/**
 * Saves {@code paths} (relative to the step's directory, or {@code ~/...}) under a key rendered from a template.
 * Keys are immutable: saving a key that exists does nothing, and says so. The cache belongs to the pipeline unless
 * {@code shared}: then every pipeline that restores shared caches may find it.
 */
public record SaveCacheStep(String name, String key, List<String> paths, boolean shared, Location location,
                            String path) implements StepDef {

    public static final String TYPE = "save_cache";

    public SaveCacheStep {
        paths = List.copyOf(paths);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
