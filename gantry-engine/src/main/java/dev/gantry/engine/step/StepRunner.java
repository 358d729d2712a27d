package dev.gantry.engine.step;

import dev.gantry.core.pipeline.StepDef;
import dev.gantry.engine.run.Outcome;

/** Executes one step type. Registered in {@link StepRunners} under the type's YAML key. */
public interface StepRunner {

    String type();

    /** Runs the step to its end; returns a cancelled or timed-out outcome when the context's cancellation fires. */
    Outcome run(StepDef step, StepContext context);
}
