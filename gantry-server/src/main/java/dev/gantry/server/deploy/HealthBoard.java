package dev.gantry.server.deploy;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest monitor result of each supervised release, written by the supervisor and read by the API and UI; a
 * release nobody probes (no {@code monitor}, or not supervised yet) has none.
 */
public final class HealthBoard {

    private final Map<Key, Health> health = new ConcurrentHashMap<>();

    private record Key(String pipeline, String environment, int release) {
    }

    public void put(String pipeline, String environment, int release, Health h) {
        health.put(new Key(pipeline, environment, release), h);
    }

    public void forget(String pipeline, String environment, int release) {
        health.remove(new Key(pipeline, environment, release));
    }

    public Optional<Health> of(String pipeline, String environment, int release) {
        return Optional.ofNullable(health.get(new Key(pipeline, environment, release)));
    }
}
