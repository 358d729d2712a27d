package dev.gantry.core.pipeline;

import java.util.List;
import java.util.Map;

/**
 * A parsed, validated pipeline file: immutable definition, never run state.
 *
 * @param digest SHA-256 of the file's bytes, so a build records exactly which definition it ran
 * @param jobs   in file order
 * @param environments deploy targets, in file order
 * @param notifications where build, deploy and monitor events are sent
 * @param retention how long a server keeps its builds' data ({@link Retention#FOREVER} to use the server's own)
 */
public record Pipeline(String name, String file, String digest, Map<String, Value> env, Defaults defaults,
                       Map<String, JobDef> jobs, Map<String, EnvironmentDef> environments,
                       List<NotifyDef> notifications, Retention retention) {

    public Pipeline {
        env = Map.copyOf(env);
        jobs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(jobs));
        environments = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(environments));
        notifications = List.copyOf(notifications);
        retention = retention == null ? Retention.FOREVER : retention;
    }

    /** A pipeline without environments or notifications. */
    public Pipeline(String name, String file, String digest, Map<String, Value> env, Defaults defaults,
                    Map<String, JobDef> jobs) {
        this(name, file, digest, env, defaults, jobs, Map.of(), List.of(), Retention.FOREVER);
    }
}
