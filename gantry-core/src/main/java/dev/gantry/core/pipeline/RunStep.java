package dev.gantry.core.pipeline;

import java.time.Duration;
import java.util.Map;

/**
 * A shell script run in the task's working copy.
 *
 * @param timeout          null when the step has no limit of its own (the job's limit still applies)
 * @param workingDirectory relative to the task's working directory; null for that directory itself
 * @param noOutputTimeout  null when silence is allowed
 */
public record RunStep(String name, String command, Map<String, Value> env, Duration timeout,
                      String workingDirectory, Duration noOutputTimeout, Location location, String path)
        implements StepDef {

    public static final String TYPE = "run";

    public RunStep {
        env = Map.copyOf(env);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
