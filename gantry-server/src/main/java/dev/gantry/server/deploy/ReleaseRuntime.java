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

    /**
     * Whether the release serves: a process of it runs and, under {@code blue_green}, the environment's proxy too
     * (a dead proxy counts as down: starting it again brings the proxy back).
     */
    boolean isRunning(Release release);

    /**
     * Marks failed (and stops) the releases of the environment a Gantry process killed mid-deploy left
     * {@code deploying}: call it holding the lock ({@link #tryLock}), before deciding that the live release crashed.
     */
    void recoverInterrupted(String pipeline, String environment);

    /** Starts the release's process again, detached, on the port it had; returns once it is ready. */
    void startAgain(Release release) throws Exception;

    /** Its stop signal and grace, then SIGKILL, for every process carrying its marker. */
    void stop(Release release);

    /**
     * The environment's deploy lock if nobody holds it (a deploy, rollback or stop in progress does): the
     * supervisor changes nothing while one runs.
     */
    Optional<AutoCloseable> tryLock(String pipeline, String environment);

    /**
     * Puts the release before {@code failing} back (the monitor's {@code on_failure: rollback}), only while
     * {@code failing} is still the live release once the deploy lock is taken; returns what serves now.
     */
    String rollback(Release failing) throws Exception;
}
