package dev.gantry.core.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A background process a job needs, such as the model server under test: started before the job's steps on a
 * port of its own ({@code {{ port }}} in its command), awaited with a readiness probe, watched with an optional
 * liveness probe, and stopped gracefully after the steps.
 *
 * @param ready       null to consider the service ready as soon as it started
 * @param live        null for no liveness checks (the service exiting still fails the job)
 * @param stopSignal  {@code TERM}, {@code INT}, {@code HUP}, {@code QUIT} or {@code KILL}
 * @param gracePeriod null to use the pipeline's grace period
 * @param image       the container image it runs in on Docker; null for the job's
 * @param restart     null for none: the service's exit fails the job (a deploy's service restarts by
 *                    {@link Restart#STANDARD} unless it says otherwise)
 */
public record ServiceDef(String name, Location location, String command, Map<String, Value> env,
                         String workingDirectory, List<Ref> dependsOn, ProbeDef ready, ProbeDef live,
                         String stopSignal, Duration gracePeriod, Restart restart,
                         ImageRef image) {

    public static final List<String> SIGNALS = List.of("TERM", "INT", "HUP", "QUIT", "KILL");

    public ServiceDef {
        env = Map.copyOf(env);
        dependsOn = List.copyOf(dependsOn);
    }
}
