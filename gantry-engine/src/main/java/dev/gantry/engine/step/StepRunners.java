package dev.gantry.engine.step;

import java.util.HashMap;
import java.util.Map;

/** The registry of step runners, keyed by step type, the engine's twin of the core's {@code StepTypes}. */
public final class StepRunners {

    private final Map<String, StepRunner> runners = new HashMap<>();

    /**
     * Every step type of this package; {@code batch} (a package of its own, which uses this one) and {@code deploy}
     * (which runs other steps as its gate) are registered on top by {@code DeployRunner.standard}.
     */
    public static StepRunners standard() {
        return new StepRunners().register(new RunStepRunner()).register(new AudioCheckRunner())
                .register(new ArtifactsRunner())
                .register(new TestResultsRunner())
                .register(new CacheRunners.Save()).register(new CacheRunners.Restore())
                .register(new WorkspaceRunners.Persist()).register(new WorkspaceRunners.Attach());
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
