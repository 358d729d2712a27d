package dev.gantry.engine.pool;

import java.util.List;
import java.util.Map;

/**
 * Where a task was placed: its host (one of the executor's, {@code local} for the local executor) and the slots
 * it was given in each of that host's pools, e.g. {@code gpu -> [1]}; GPU slots are device indices on that host.
 */
public record Allocation(String host, Map<String, List<Integer>> slots) {

    public Allocation {
        java.util.Objects.requireNonNull(host, "host");
        slots = Map.copyOf(slots);
    }

    /** Slots on the local executor's only host. */
    public Allocation(Map<String, List<Integer>> slots) {
        this(Placement.LOCAL, slots);
    }
}
