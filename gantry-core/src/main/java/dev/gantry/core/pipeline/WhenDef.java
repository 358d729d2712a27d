package dev.gantry.core.pipeline;

import dev.gantry.core.glob.Glob;
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

    /**
     * Whether {@code branch} matches one of {@code branches} or {@code tag} one of {@code tags} (either may be null:
     * unknown). {@link #ALWAYS} matches everything; the one place job {@code when} and environment {@code when} are
     * decided.
     */
    public boolean matches(String branch, String tag) {
        if (isAlways()) {
            return true;
        }
        return (branches != null && branches.stream().anyMatch(g -> new Glob(g).matches(branch)))
                || (tags != null && tags.stream().anyMatch(g -> new Glob(g).matches(tag)));
    }
}
