package dev.gantry.server.deploy;

import dev.gantry.core.deploy.Release;
import java.util.Optional;

/**
 * What the supervisor needs from the engine's deploys: whether a live release's process runs (found by its
 * marker), starting it again from its directory, stopping it, the rules it was deployed with, the environment's
 * deploy lock, and a rollback. One seam, so supervision is written once whatever starts the processes.
 */
public interface ReleaseRuntime {

    /** The release's rules, read from its directory; empty when the directory is gone (pruned, removed). */
    Optional<SupervisionPolicy> policy(Release release);

    boolean isRunning(Release release);

    /** Starts the release's process again, detached, on the port it had; returns once it is ready. */
    void startAgain(Release release) throws Exception;

    /** Its stop signal and grace, then SIGKILL, for every process carrying its marker. */
    void stop(Release release);

    /**
     * The environment's deploy lock if nobody holds it (a deploy, rollback or stop in progress does): the
     * supervisor changes nothing while one runs.
     */
    Optional<AutoCloseable> tryLock(String pipeline, String environment);

    /** Puts the previous good release back (the monitor's {@code on_failure: rollback}); returns what serves now. */
    String rollback(String pipeline, String environment) throws Exception;
}
