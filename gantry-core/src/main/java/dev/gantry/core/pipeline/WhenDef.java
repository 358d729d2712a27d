package dev.gantry.core.pipeline;

import java.util.List;

/**
 * Which revisions a job runs for: it runs when the branch matches one of {@code branches} or the tag one of
 * {@code tags} (globs: {@code *} within a path segment, {@code **} across segments).
 */
public record WhenDef(List<String> branches, List<String> tags) {

    public static final WhenDef ALWAYS = new WhenDef(null, null);

    public boolean isAlways() {
        return branches == null && tags == null;
    }
}
