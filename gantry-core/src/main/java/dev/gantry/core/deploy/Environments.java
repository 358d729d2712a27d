package dev.gantry.core.deploy;

import dev.gantry.core.pipeline.DeployDef;
import dev.gantry.core.pipeline.EnvironmentDef;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.plan.Revision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which environment a deploy goes to. A name is that environment; {@code auto} is the first environment, in file
 * order, whose {@code when} matches the build's branch or tag (the same globs as a job's {@code when}). An
 * environment without {@code when} is only ever deployed to by name. When {@code auto} matches none, the deploy is
 * skipped ({@link #noMatch} says why), not failed: a feature branch simply has nowhere to go.
 */
public final class Environments {

    private Environments() {
    }

    /** {@link #select(Map, String, Revision)} over the pipeline's environments. */
    public static Optional<EnvironmentDef> select(Pipeline pipeline, String requested, Revision revision) {
        return select(pipeline.environments(), requested, revision);
    }

    /**
     * The environment a deploy asking for {@code requested} goes to for {@code revision}.
     *
     * @param environments in file order
     * @param requested    an environment's name or {@link DeployDef#AUTO}
     * @return empty only when {@code requested} is {@code auto} and no environment matches: skip the deploy
     * @throws IllegalArgumentException for a name not declared (the validator refuses such a pipeline)
     */
    public static Optional<EnvironmentDef> select(Map<String, EnvironmentDef> environments, String requested,
                                                  Revision revision) {
        if (!requested.equals(DeployDef.AUTO)) {
            EnvironmentDef named = environments.get(requested);
            if (named == null) {
                throw new IllegalArgumentException("unknown environment '" + requested + "'; declared: "
                        + String.join(", ", environments.keySet()));
            }
            return Optional.of(named);
        }
        return environments.values().stream().filter(e -> matches(e, revision)).findFirst();
    }

    /** Whether {@code auto} would choose {@code environment} for {@code revision}, were it the first to match. */
    public static boolean matches(EnvironmentDef environment, Revision revision) {
        return !environment.when().isAlways()
                && environment.when().matches(revision.branch(), revision.tag());
    }

    /**
     * Why {@code auto} chose nothing, for the skipped deploy's record: e.g. {@code environment: auto: branch
     * 'feature/x' (no tag) matches no environment's when (staging: branches [main]; production: tags [v*])}.
     */
    public static String noMatch(Map<String, EnvironmentDef> environments, Revision revision) {
        String ref = (revision.branch() == null ? "no branch" : "branch '" + revision.branch() + "'")
                + (revision.tag() == null ? " (no tag)" : " and tag '" + revision.tag() + "'");
        List<String> whens = new ArrayList<>();
        for (EnvironmentDef e : environments.values()) {
            List<String> parts = new ArrayList<>();
            if (e.when().branches() != null) {
                parts.add("branches " + e.when().branches());
            }
            if (e.when().tags() != null) {
                parts.add("tags " + e.when().tags());
            }
            whens.add(e.name() + ": " + (parts.isEmpty() ? "by name only" : String.join(", ", parts)));
        }
        return "environment: auto: " + ref + " matches no environment's when (" + String.join("; ", whens)
                + "); the deploy is skipped";
    }
}
