package dev.gantry.engine.scheduler;

import java.time.Clock;
import java.util.Map;

/**
 * How a build runner behaves, passed in rather than read from globals so tests control it.
 *
 * @param concurrency most tasks running at once
 * @param failFast    stop everything at the first failure instead of letting other branches finish
 * @param baseEnv     the environment every step inherits (normally Gantry's own)
 */
public record EngineSettings(int concurrency, boolean failFast, Map<String, String> baseEnv, Clock clock) {

    public EngineSettings {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        baseEnv = Map.copyOf(baseEnv);
    }

    public static EngineSettings defaults() {
        return new EngineSettings(Runtime.getRuntime().availableProcessors(), false, System.getenv(),
                Clock.systemUTC());
    }

    public EngineSettings withConcurrency(int n) {
        return new EngineSettings(n, failFast, baseEnv, clock);
    }

    public EngineSettings withFailFast(boolean f) {
        return new EngineSettings(concurrency, f, baseEnv, clock);
    }
}
