package dev.gantry.engine.scheduler;

import java.time.Clock;
import java.util.Map;

/**
 * How a build runner behaves, passed in rather than read from globals so tests control it.
 *
 * @param concurrency most tasks running at once
 * @param failFast    stop everything at the first failure instead of letting other branches finish
 * @param baseEnv     the environment every step inherits (normally Gantry's own)
 * @param telemetryInterval how often each task's resource use is sampled
 * @param tools       a directory put first on every task's PATH (holding the {@code gantry} command), or null
 * @param secrets     the values of the secrets the pipeline references, masked in everything the build reports
 * @param deployments where environments' releases live and their history, for {@code deploy} steps; null when this
 *                    engine cannot deploy (a deploy step then fails saying so)
 * @param executors   makes each build's executor; null for local processes
 */
public record EngineSettings(int concurrency, boolean failFast, Map<String, String> baseEnv, Clock clock,
                             java.time.Duration telemetryInterval, java.nio.file.Path tools,
                             dev.gantry.engine.secret.Secrets secrets,
                             dev.gantry.engine.deploy.Deployments deployments,
                             dev.gantry.engine.exec.ExecutorFactory executors) {

    public EngineSettings(int concurrency, boolean failFast, Map<String, String> baseEnv, Clock clock,
                          java.time.Duration telemetryInterval, java.nio.file.Path tools,
                          dev.gantry.engine.secret.Secrets secrets) {
        this(concurrency, failFast, baseEnv, clock, telemetryInterval, tools, secrets, null, null);
    }

    /** The same settings for an engine whose deploy steps make releases through {@code d}. */
    public EngineSettings withDeployments(dev.gantry.engine.deploy.Deployments d) {
        return new EngineSettings(concurrency, failFast, baseEnv, clock, telemetryInterval, tools, secrets, d, executors);
    }

    public static final java.time.Duration TELEMETRY_INTERVAL = java.time.Duration.ofSeconds(1);

    public EngineSettings(int concurrency, boolean failFast, Map<String, String> baseEnv, Clock clock) {
        this(concurrency, failFast, baseEnv, clock, TELEMETRY_INTERVAL, null);
    }

    public EngineSettings(int concurrency, boolean failFast, Map<String, String> baseEnv, Clock clock,
                          java.time.Duration telemetryInterval, java.nio.file.Path tools) {
        this(concurrency, failFast, baseEnv, clock, telemetryInterval, tools, dev.gantry.engine.secret.Secrets.NONE);
    }

    /** The same settings for a build that may use {@code s}. */
    public EngineSettings withSecrets(dev.gantry.engine.secret.Secrets s) {
        return new EngineSettings(concurrency, failFast, baseEnv, clock, telemetryInterval, tools, s, deployments, executors);
    }

    public EngineSettings(int concurrency, boolean failFast, Map<String, String> baseEnv, Clock clock,
                          java.time.Duration telemetryInterval) {
        this(concurrency, failFast, baseEnv, clock, telemetryInterval, null);
    }

    public EngineSettings withTools(java.nio.file.Path dir) {
        return new EngineSettings(concurrency, failFast, baseEnv, clock, telemetryInterval, dir, secrets, deployments, executors);
    }

    public EngineSettings {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        baseEnv = Map.copyOf(baseEnv);
        secrets = secrets == null ? dev.gantry.engine.secret.Secrets.NONE : secrets;
        executors = executors == null ? dev.gantry.engine.exec.ExecutorFactory.LOCAL : executors;
    }

    /** The same settings for builds whose executor {@code f} makes. */
    public EngineSettings withExecutors(dev.gantry.engine.exec.ExecutorFactory f) {
        return new EngineSettings(concurrency, failFast, baseEnv, clock, telemetryInterval, tools, secrets, deployments, f);
    }

    public EngineSettings withConcurrency(int n) {
        return new EngineSettings(n, failFast, baseEnv, clock, telemetryInterval, tools, secrets, deployments, executors);
    }

    public EngineSettings withFailFast(boolean f) {
        return new EngineSettings(concurrency, f, baseEnv, clock, telemetryInterval, tools, secrets, deployments, executors);
    }
}
