package dev.gantry.engine.cancel;

import java.util.ArrayList;
import java.util.List;

/**
 * A cancellation signal that flows down a task's plan tree: a timeout cancels its own subtree, a build
 * cancellation (Ctrl-C) cancels everything. Listeners stop the processes running under it.
 */
public final class Cancellation {

    /**
     * Why work was stopped; decides whether the outcome reads TIMED_OUT, CANCELLED or (a service the steps
     * depend on died) FAILED.
     */
    public enum Reason { TIMED_OUT, CANCELLED, FAILED }

    private final List<Runnable> listeners = new ArrayList<>();
    private Reason reason;
    private String message;

    public static Cancellation root() {
        return new Cancellation();
    }

    /** A cancellation that fires when this one does, and can also fire on its own. */
    public Cancellation child() {
        Cancellation child = new Cancellation();
        Registration r = onCancel(() -> child.cancel(reason(), message()));
        child.onCancel(r::close);
        return child;
    }

    public void cancel(Reason why, String text) {
        List<Runnable> toRun;
        synchronized (this) {
            if (reason != null) {
                return;
            }
            reason = why;
            message = text;
            toRun = new ArrayList<>(listeners);
            listeners.clear();
        }
        toRun.forEach(Runnable::run);
    }

    public synchronized boolean isCancelled() {
        return reason != null;
    }

    public synchronized Reason reason() {
        return reason;
    }

    public synchronized String message() {
        return message;
    }

    /** Runs {@code action} on cancellation (at once if already cancelled); close the registration to forget it. */
    public Registration onCancel(Runnable action) {
        synchronized (this) {
            if (reason == null) {
                listeners.add(action);
                return () -> {
                    synchronized (Cancellation.this) {
                        listeners.remove(action);
                    }
                };
            }
        }
        action.run();
        return () -> { };
    }

    /** An undoable listener registration. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
