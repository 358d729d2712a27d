package dev.gantry.core.pipeline;

import java.util.List;

/**
 * Keeps files from the working copy with the build, under {@code .gantry/builds/N/artifacts/TASK/NAME/}: test
 * reports, generated audio, logs on failure (in an {@code on_failure} or {@code ensure} hook).
 *
 * @param paths globs relative to the step's directory
 * @param artifactName the folder they are kept in
 */
public record ArtifactsStep(String name, List<String> paths, String artifactName, Location location, String path)
        implements StepDef {

    public static final String TYPE = "artifacts";

    public ArtifactsStep {
        paths = List.copyOf(paths);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
