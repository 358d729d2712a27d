package dev.gantry.server.deploy;

/**
 * One environment of a pipeline at a glance.
 *
 * @param live   the release serving now, or null when none is
 * @param health what the live release's monitor last said, or null when nobody probes it
 * @param latest the newest release, whatever became of it (a failed candidate shows here)
 */
public record EnvironmentView(String environment, ReleaseView live, Health health, ReleaseView latest) {
}
