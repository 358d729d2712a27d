package dev.gantry.engine.deploy;

import dev.gantry.core.deploy.Environments;
import dev.gantry.core.pipeline.DeployDef;
import dev.gantry.core.pipeline.DeployStep;
import dev.gantry.core.pipeline.EnvironmentDef;
import dev.gantry.core.pipeline.StepDef;
import dev.gantry.engine.run.Outcome;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.step.StepContext;
import dev.gantry.engine.step.StepRunner;
import dev.gantry.engine.step.StepRunners;
import java.io.IOException;
import java.util.Optional;

/**
 * Runs a job's {@code deploy} (type {@code deploy}): resolves the environment (an {@code auto} deploy that matches
 * none is skipped, saying why, and does not fail the build), then makes, starts, gates and promotes a release
 * through {@link Deployment}.
 */
public final class DeployRunner implements StepRunner {

    private final Deployments deployments;
    private final StepRunners runners;

    /**
     * @param deployments null when this engine keeps no environments (a deploy step then fails saying so)
     * @param runners     the registry the gate's steps run through
     */
    public DeployRunner(Deployments deployments, StepRunners runners) {
        this.deployments = deployments;
        this.runners = runners;
    }

    /**
     * Every step type: the step package's, {@code batch}, and deploy steps making releases through
     * {@code deployments} (null: this engine cannot deploy).
     */
    public static StepRunners standard(Deployments deployments) {
        StepRunners runners = StepRunners.standard().register(new dev.gantry.engine.batch.BatchStepRunner());
        return runners.register(new DeployRunner(deployments, runners));
    }

    @Override
    public String type() {
        return DeployStep.TYPE;
    }

    @Override
    public Outcome run(StepDef step, StepContext ctx) {
        if (deployments == null) {
            return Outcome.errored("this engine has nowhere to keep releases, so it cannot deploy: run the pipeline"
                    + " with gantry run or on gantry server, which keep environments and their release history");
        }
        DeployDef def = ((DeployStep) step).deploy();
        Optional<EnvironmentDef> env;
        try {
            env = Environments.select(ctx.pipeline(), def.environment(), ctx.build().revision());
        } catch (IllegalArgumentException e) {
            return new Outcome(TaskState.FAILED, -1, e.getMessage());
        }
        if (env.isEmpty()) {
            ctx.output(Environments.noMatch(ctx.pipeline().environments(), ctx.build().revision()));
            return Outcome.SUCCESS;
        }
        try {
            return new Deployment(deployments, runners, ctx, def, env.get()).run();
        } catch (DeployException e) {
            return new Outcome(TaskState.FAILED, -1, e.getMessage());
        } catch (IOException e) {
            return Outcome.errored("the deploy to " + env.get().name() + " failed: " + e.getMessage());
        }
    }
}
