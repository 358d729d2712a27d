package dev.gantry.engine.event;

import java.util.List;

/** Receives a build's events in order. Called from many threads; implementations synchronise themselves. */
public interface BuildListener {

    void on(BuildEvent event);

    /**
     * One listener that passes every event to each of {@code listeners} in turn; one that throws neither stops the
     * others from seeing the event nor reaches the caller (see {@link IsolatedListener}).
     */
    static BuildListener all(List<BuildListener> listeners) {
        List<BuildListener> copy = listeners.stream().map(IsolatedListener::of).toList();
        return event -> copy.forEach(l -> l.on(event));
    }
}
