package dev.gantry.engine.batch;

import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.service.ServiceHandle;
import java.net.URI;

/** Where a batch sends its requests, and whether it may send them now. */
public interface BatchTarget {

    /** Scheme, host and port (and any path prefix) that each request's path is appended to. */
    URI base();

    /** Waits until requests may be sent; false when they never may again ({@link #gone()} says why) or on cancel. */
    boolean awaitReady(Cancellation cancellation) throws InterruptedException;

    /**
     * Whether the target is down now (its service exited or fails its live probe): a failure seen then is the
     * service's, not the item's, and does not use up the item's retries.
     */
    boolean down();

    /** Why the target is gone for good, or null. */
    String gone();

    /** How many times it went down so far (always 0 for a URL, which is never known to be down). */
    long outages();

    /** Whether something watches it (a job's service) so that {@link #down()} and {@link #outages()} mean anything. */
    boolean supervised();

    /** Any service at a URL: always ready; a refused connection is a transient failure like any other. */
    static BatchTarget url(URI base) {
        return new BatchTarget() {
            @Override
            public URI base() {
                return base;
            }

            @Override
            public boolean awaitReady(Cancellation cancellation) {
                return !cancellation.isCancelled();
            }

            @Override
            public boolean down() {
                return false;
            }

            @Override
            public String gone() {
                return null;
            }

            @Override
            public long outages() {
                return 0;
            }

            @Override
            public boolean supervised() {
                return false;
            }
        };
    }

    /** The job's service: dispatch pauses while it is unhealthy and resumes after its restart. */
    static BatchTarget service(ServiceHandle service) {
        return new BatchTarget() {
            @Override
            public URI base() {
                return URI.create(service.url());
            }

            @Override
            public boolean awaitReady(Cancellation cancellation) throws InterruptedException {
                return service.awaitHealthy(cancellation);
            }

            @Override
            public boolean down() {
                return !service.healthy();
            }

            @Override
            public String gone() {
                return service.gone();
            }

            @Override
            public long outages() {
                return service.outages();
            }

            @Override
            public boolean supervised() {
                return true;
            }
        };
    }
}
