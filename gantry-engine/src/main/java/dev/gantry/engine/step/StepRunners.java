package dev.gantry.engine.step;

import java.util.HashMap;
import java.util.Map;

/** The registry of step runners, keyed by step type, the engine's twin of the core's {@code StepTypes}. */
public final class StepRunners {

    private final Map<String, StepRunner> runners = new HashMap<>();

    /** Every step type; {@code deploy} steps fail saying this engine cannot deploy. */
    public static StepRunners standard() {
        return standard(null);
    }

    /** Every step type, deploy steps making releases through {@code deployments} (null: this engine cannot deploy). */
    public static StepRunners standard(dev.gantry.engine.deploy.Deployments deployments) {
        StepRunners runners = new StepRunners();
        return runners.register(new RunStepRunner()).register(new AudioCheckRunner())
                .register(new ArtifactsRunner())
                .register(new TestResultsRunner())
                .register(new CacheRunners.Save()).register(new CacheRunners.Restore())
                .register(new WorkspaceRunners.Persist()).register(new WorkspaceRunners.Attach())
                .register(new dev.gantry.engine.deploy.DeployRunner(deployments, runners));
    }

    public StepRunners register(StepRunner runner) {
        if (runners.putIfAbsent(runner.type(), runner) != null) {
            throw new IllegalArgumentException("step runner '" + runner.type() + "' is registered twice");
        }
        return this;
    }

    public StepRunner get(String type) {
        StepRunner r = runners.get(type);
        if (r == null) {
            throw new IllegalStateException("no runner for step type '" + type + "'");
        }
        return r;
    }
}
