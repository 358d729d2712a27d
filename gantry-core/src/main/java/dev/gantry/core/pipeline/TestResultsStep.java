package dev.gantry.core.pipeline;

import java.util.List;

/**
 * Ingests JUnit XML reports: counts are printed, each test is kept with the build, and passing tests' durations
 * feed the job's timings history that {@code gantry tests split} plans with.
 *
 * @param paths globs relative to the step's directory, e.g. {@code target/surefire-reports/*.xml}
 */
public record TestResultsStep(String name, List<String> paths, Location location, String path) implements StepDef {

    public static final String TYPE = "test_results";

    public TestResultsStep {
        paths = List.copyOf(paths);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
