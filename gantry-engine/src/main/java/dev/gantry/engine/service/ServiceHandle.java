package dev.gantry.engine.service;

import dev.gantry.engine.cancel.Cancellation;

/**
 * A job's service as its steps see it: where it answers and whether it is up. A {@code batch} step pauses its
 * dispatch while {@link #healthy()} is false and waits with {@link #awaitHealthy} for a restart.
 */
public interface ServiceHandle {

    String name();

    /** {@code http://127.0.0.1:PORT}; the port stays the same across restarts. */
    String url();

    /** True while the service runs and its live probe (if it has one) has not failed since it last passed. */
    boolean healthy();

    /**
     * Blocks until the service is healthy (at once when it is); false when it never will be again (it exited or
     * failed its live probe past its restart budget, or without a restart policy) or when {@code cancellation}
     * fires.
     */
    boolean awaitHealthy(Cancellation cancellation) throws InterruptedException;

    /**
     * How many times it went from healthy to down so far: a failure seen just before the service was noticed down
     * (a connection reset as it dies) is told apart by this count having moved a moment later.
     */
    long outages();

    /** Why it is down for good, once {@link #awaitHealthy} returned false for that reason; null otherwise. */
    String gone();
}
