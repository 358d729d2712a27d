package dev.gantry.engine.pool;

import java.util.List;
import java.util.Map;

/** The slots a task was given in each pool, e.g. {@code gpu -> [1]}; GPU slots are device indices. */
public record Allocation(Map<String, List<Integer>> slots) {

    public Allocation {
        slots = Map.copyOf(slots);
    }
}
