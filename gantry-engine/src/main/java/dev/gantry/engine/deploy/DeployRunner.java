package dev.gantry.engine.deploy;

import dev.gantry.core.glob.Glob;
import dev.gantry.core.pipeline.DeployDef;
import dev.gantry.core.pipeline.DeployStep;
import dev.gantry.core.pipeline.EnvironmentDef;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.pipeline.StepDef;
import dev.gantry.core.pipeline.WhenDef;
import dev.gantry.core.plan.Revision;
import dev.gantry.engine.run.Outcome;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.step.StepContext;
import dev.gantry.engine.step.StepRunner;
import dev.gantry.engine.step.StepRunners;
import java.io.IOException;
import java.util.Optional;

/**
 * Runs a job's {@code deploy} (type {@code deploy}): resolves the environment, then makes, starts, gates and
 * promotes a release through {@link Deployment}.
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

    /** Every step type, deploy steps making releases through {@code deployments} (null: this engine cannot deploy). */
    public static StepRunners standard(Deployments deployments) {
        StepRunners runners = StepRunners.standard();
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
        Optional<EnvironmentDef> env = environment(def, ctx.pipeline(), ctx.build().revision());
        if (env.isEmpty()) {
            return new Outcome(TaskState.FAILED, -1, def.environment().equals(DeployDef.AUTO)
                    ? "no environment's when matches " + describe(ctx.build().revision()) + ": add it to one"
                    + " environment's when, or name the environment in the deploy"
                    : "environment '" + def.environment() + "' is not declared under environments");
        }
        try {
            return new Deployment(deployments, runners, ctx, def, env.get()).run();
        } catch (DeployException e) {
            return new Outcome(TaskState.FAILED, -1, e.getMessage());
        } catch (IOException e) {
            return Outcome.errored("the deploy to " + env.get().name() + " failed: " + e.getMessage());
        }
    }

    /** The named environment, or for {@code auto} the first whose {@code when} matches the build's ref. */
    static Optional<EnvironmentDef> environment(DeployDef def, Pipeline pipeline, Revision revision) {
        if (!def.environment().equals(DeployDef.AUTO)) {
            return Optional.ofNullable(pipeline.environments().get(def.environment()));
        }
        return pipeline.environments().values().stream().filter(e -> matches(e.when(), revision)).findFirst();
    }

    private static boolean matches(WhenDef when, Revision rev) {
        if (when == null || when.isAlways()) {
            return true;
        }
        boolean branch = when.branches() != null && rev.branch() != null
                && when.branches().stream().anyMatch(g -> new Glob(g).matches(rev.branch()));
        boolean tag = when.tags() != null && rev.tag() != null
                && when.tags().stream().anyMatch(g -> new Glob(g).matches(rev.tag()));
        return branch || tag;
    }

    private static String describe(Revision rev) {
        if (rev.tag() != null) {
            return "tag '" + rev.tag() + "'";
        }
        return rev.branch() != null ? "branch '" + rev.branch() + "'" : "this build (no branch or tag)";
    }
}
