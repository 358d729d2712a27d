package dev.gantry.engine.service;

import dev.gantry.engine.cancel.Cancellation;

/**
 * The health of one job service as its supervisor last saw it, shared with the steps as their
 * {@link ServiceHandle}: the supervisor marks it up (ready, a live probe passed), down (it exited, a live probe
 * failed, it is being restarted) or gone for good, and steps read it or wait on it.
 */
public final class ServiceHealth implements ServiceHandle {

    private final String name;
    private final String url;
    private boolean healthy;
    private long outages;
    private String gone;

    public ServiceHealth(String name, int port) {
        this.name = name;
        this.url = "http://127.0.0.1:" + port;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public synchronized boolean healthy() {
        return healthy;
    }

    @Override
    public synchronized String gone() {
        return gone;
    }

    @Override
    public boolean awaitHealthy(Cancellation cancellation) throws InterruptedException {
        try (Cancellation.Registration r = cancellation.onCancel(this::wake)) {
            synchronized (this) {
                while (!healthy && gone == null && !cancellation.isCancelled()) {
                    wait();
                }
                return healthy;
            }
        }
    }

    /** It is ready, or its live probe passed: healthy again, unless it is gone. */
    public synchronized void up() {
        if (gone == null) {
            healthy = true;
            notifyAll();
        }
    }

    /** It exited, failed a live probe, or is being restarted. */
    public synchronized void down() {
        if (healthy) {
            outages++;
        }
        healthy = false;
    }

    @Override
    public synchronized long outages() {
        return outages;
    }

    /** It will not be healthy again, for {@code why}; the first reason stays. */
    public synchronized void gone(String why) {
        if (healthy) {
            outages++;
        }
        healthy = false;
        if (gone == null) {
            gone = why;
        }
        notifyAll();
    }

    private synchronized void wake() {
        notifyAll();
    }

    @Override
    public String toString() {
        return name + " at " + url;
    }
}
