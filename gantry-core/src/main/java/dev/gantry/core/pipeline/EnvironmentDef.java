package dev.gantry.core.pipeline;

/**
 * A deploy target ({@code staging}, {@code production}) declared under the pipeline's {@code environments}.
 *
 * @param when         which revisions deploy to it when a deploy names {@code environment: auto}
 * @param keepReleases how many release directories stay on disk for rollbacks (history stays in the store)
 */
public record EnvironmentDef(String name, Location location, WhenDef when, int keepReleases) {

    public static final int KEEP_RELEASES = 5;
}
