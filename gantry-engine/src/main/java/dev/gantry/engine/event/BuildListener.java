package dev.gantry.engine.event;

import java.util.List;

/** Receives a build's events in order. Called from many threads; implementations synchronise themselves. */
public interface BuildListener {

    void on(BuildEvent event);

    /** One listener that passes every event to each of {@code listeners} in turn. */
    static BuildListener all(List<BuildListener> listeners) {
        List<BuildListener> copy = List.copyOf(listeners);
        return event -> copy.forEach(l -> l.on(event));
    }
}
