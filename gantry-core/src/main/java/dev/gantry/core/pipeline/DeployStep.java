package dev.gantry.core.pipeline;

/**
 * A job's {@code deploy} as the last step of its job: the loader appends it after the job's own steps (if any), so
 * the plan tree, timeouts and events treat it like any other step.
 */
public record DeployStep(String job, DeployDef deploy) implements StepDef {

    public static final String TYPE = "deploy";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String name() {
        return "deploy to " + deploy.environment();
    }

    @Override
    public Location location() {
        return deploy.location();
    }

    @Override
    public String path() {
        return deploy.path();
    }
}
