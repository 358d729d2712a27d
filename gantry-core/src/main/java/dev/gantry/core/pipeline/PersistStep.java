package dev.gantry.core.pipeline;

import java.util.List;

/**
 * Hands files to the jobs that need this one: {@code paths} (globs, files or directories) under {@code root},
 * kept at their path relative to {@code root}.
 */
public record PersistStep(String name, String root, List<String> paths, Location location, String path)
        implements StepDef {

    public static final String TYPE = "persist";

    public PersistStep {
        paths = List.copyOf(paths);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
