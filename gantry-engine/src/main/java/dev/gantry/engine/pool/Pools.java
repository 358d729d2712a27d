package dev.gantry.engine.pool;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Counted capacities shared by the tasks of a build. A task gets everything it asks for at once or nothing, so
 * capacity is never over-committed and no task holds part of what it needs while waiting for the rest.
 */
public final class Pools {

    private final Map<String, Integer> capacity;
    private final Map<String, BitSet> used = new TreeMap<>();

    public Pools(Map<String, Integer> capacity) {
        this.capacity = Map.copyOf(capacity);
        capacity.keySet().forEach(k -> used.put(k, new BitSet()));
    }

    public Map<String, Integer> capacity() {
        return capacity;
    }

    /** Takes the lowest free slots for every pool in {@code uses}, or nothing when any pool lacks room. */
    public synchronized Optional<Allocation> tryAcquire(Map<String, Integer> uses) {
        if (!hasRoom(uses)) {
            return Optional.empty();
        }
        Map<String, List<Integer>> slots = new LinkedHashMap<>();
        uses.forEach((pool, count) -> {
            BitSet bits = used.get(pool);
            List<Integer> taken = new ArrayList<>();
            for (int i = bits.nextClearBit(0); taken.size() < count; i = bits.nextClearBit(i + 1)) {
                taken.add(i);
            }
            taken.forEach(bits::set);
            slots.put(pool, taken);
        });
        return Optional.of(new Allocation(slots));
    }

    public synchronized void release(Allocation allocation) {
        allocation.slots().forEach((pool, slots) -> slots.forEach(used.get(pool)::clear));
    }

    /** Whether every pool in {@code uses} has that many slots free now. */
    public synchronized boolean hasRoom(Map<String, Integer> uses) {
        return uses.entrySet().stream().allMatch(e -> capacity.containsKey(e.getKey())
                && free(e.getKey()) >= e.getValue());
    }

    /** How many slots of {@code pool} are free now (0 for a pool this host does not offer). */
    public synchronized int free(String pool) {
        Integer cap = capacity.get(pool);
        return cap == null ? 0 : cap - used.get(pool).cardinality();
    }

    /** Whether {@code uses} could ever fit, even with every slot free. */
    public boolean fits(Map<String, Integer> uses) {
        return uses.entrySet().stream().allMatch(e -> capacity.getOrDefault(e.getKey(), 0) >= e.getValue());
    }
}
