package dev.gantry.core.pipeline;

import java.util.List;

/**
 * Saves {@code paths} (relative to the step's directory, or {@code ~/...}) under a key rendered from a template.
 * Keys are immutable: saving a key that exists does nothing, and says so.
 */
public record SaveCacheStep(String name, String key, List<String> paths, Location location, String path)
        implements StepDef {

    public static final String TYPE = "save_cache";

    public SaveCacheStep {
        paths = List.copyOf(paths);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
