package dev.gantry.core.deploy;

import java.util.List;
import java.util.Optional;

/**
 * The history of every environment's releases, kept forever (release directories are pruned; this is not). The
 * store implements it for {@code gantry run} (embedded H2 under {@code .gantry/}) and the server; the store's
 * {@code StoreContract} checks it on H2 and PostgreSQL.
 */
public interface ReleaseHistory {

    /**
     * Records a new release, numbering it one past the environment's highest (1 for the first); the
     * {@code number} of {@code draft} is ignored. Two callers never get the same number.
     */
    Release create(Release draft);

    /** Replaces the release's status, times, reason and port; its identity and contents never change. */
    void update(Release release);

    Optional<Release> find(String pipeline, String environment, int number);

    /** The environment's releases, newest first. */
    List<Release> list(String pipeline, String environment);

    /** The environments that have releases, as {@code pipeline} and {@code environment} pairs, sorted. */
    List<EnvironmentKey> environments();

    /** The release now {@link ReleaseStatus#LIVE} in the environment, if any. */
    default Optional<Release> live(String pipeline, String environment) {
        return list(pipeline, environment).stream().filter(r -> r.status() == ReleaseStatus.LIVE).findFirst();
    }

    /** An environment of a pipeline. */
    record EnvironmentKey(String pipeline, String environment) {
    }
}
