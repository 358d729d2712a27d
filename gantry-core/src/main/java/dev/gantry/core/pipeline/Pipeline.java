package dev.gantry.core.pipeline;

import java.util.Map;

/**
 * A parsed, validated pipeline file: immutable definition, never run state.
 *
 * @param digest SHA-256 of the file's bytes, so a build records exactly which definition it ran
 * @param jobs   in file order
 */
public record Pipeline(String name, String file, String digest, Map<String, Value> env, Defaults defaults,
                       Map<String, JobDef> jobs) {

    public Pipeline {
        env = Map.copyOf(env);
        jobs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(jobs));
    }
}
