package dev.gantry.core.pipeline;

/**
 * A deploy target ({@code staging}, {@code production}) declared under the pipeline's {@code environments}.
 *
 * @param when         which revisions deploy to it when a deploy names {@code environment: auto}
 * @param keepReleases how many release directories stay on disk for rollbacks (history stays in the store)
 * @param host         the Docker host (a {@code --docker-host} name) that runs the releases of a deploy whose
 *                     service names an {@code image:}; null for the first host Gantry was given
 */
public record EnvironmentDef(String name, Location location, WhenDef when, int keepReleases, String host) {

    public static final int KEEP_RELEASES = 5;
}
