package dev.gantry.core.pipeline;

/**
 * Puts what the jobs this one needs (directly or not) persisted under {@code at}, layered in DAG order: a job's
 * files cover those of the jobs it needs.
 */
public record AttachStep(String name, String at, Location location, String path) implements StepDef {

    public static final String TYPE = "attach";

    @Override
    public String type() {
        return TYPE;
    }
}
