package dev.gantry.core.pipeline;

/** One action inside a job. Each step type has its own record; the type name is the YAML key that introduces it. */
public interface StepDef {

    /** The YAML key of this step type, e.g. {@code run}. */
    String type();

    /** What people see in logs and summaries. */
    String name();

    /** Where it was written, for errors raised at run time. */
    Location location();

    /** Its path in the file, e.g. {@code jobs.build.steps[1]}. */
    String path();

    /** This step's own time limit, or null; applied as a decorator by the planner, whatever the step type. */
    default java.time.Duration timeout() {
        return null;
    }

    /** The longest this step may stay silent, or null. */
    default java.time.Duration noOutputTimeout() {
        return null;
    }
}
