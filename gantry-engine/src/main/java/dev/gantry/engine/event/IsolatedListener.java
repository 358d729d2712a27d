package dev.gantry.engine.event;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A listener whose failures stay its own: whatever it throws is caught, reported once through {@code warnings},
 * and never reaches the scheduler or a task thread, so a broken listener can neither hang a build nor leave its
 * processes running.
 */
public final class IsolatedListener implements BuildListener {

    private final BuildListener delegate;
    private final Consumer<String> warnings;
    private final AtomicBoolean warned = new AtomicBoolean();

    public IsolatedListener(BuildListener delegate, Consumer<String> warnings) {
        this.delegate = delegate;
        this.warnings = warnings;
    }

    /** Reports its first failure on standard error. */
    public static BuildListener of(BuildListener delegate) {
        return delegate instanceof IsolatedListener ? delegate
                : new IsolatedListener(delegate, line -> System.err.println(line));
    }

    @Override
    public void on(BuildEvent event) {
        try {
            delegate.on(event);
        } catch (RuntimeException | Error e) {
            if (warned.compareAndSet(false, true)) {
                warnings.accept("gantry: warning: a build listener failed on " + event.getClass().getSimpleName()
                        + " (" + e + "); the build goes on, and later failures of this listener are not reported");
            }
        }
    }
}
