package dev.gantry.engine.pool;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Places tasks on an executor's hosts, each with pools of its own ({@code gpu=2, tts-slot=3}): a task goes to a
 * host that has everything it {@code uses} free at once, so no host's capacity is ever over-committed. Among the
 * hosts that fit, it takes the one with the most free units of what the task uses (ties: the first named), which
 * spreads tasks over hosts. A host marked down receives no task until it is marked up again. One instance is
 * shared by every build that runs on the same hosts; it is thread-safe.
 */
public final class Placement {

    /** The name of the local executor's only host. */
    public static final String LOCAL = "local";

    private final Map<String, Pools> hosts = new LinkedHashMap<>();
    private final Map<String, String> down = new LinkedHashMap<>();

    /** @param hosts each host's pools, in preference order */
    public Placement(Map<String, Map<String, Integer>> hosts) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("an executor needs at least one host");
        }
        hosts.forEach((name, pools) -> this.hosts.put(name, new Pools(pools)));
    }

    /** The local executor's placement: one host, {@link #LOCAL}. */
    public static Placement local(Map<String, Integer> pools) {
        return new Placement(Map.of(LOCAL, pools));
    }

    /** Takes slots for every pool in {@code uses} on one host that is up, or nothing when no host has room. */
    public synchronized Optional<Allocation> tryAcquire(Map<String, Integer> uses) {
        String best = null;
        long bestFree = -1;
        for (Map.Entry<String, Pools> e : hosts.entrySet()) {
            if (down.containsKey(e.getKey()) || !e.getValue().hasRoom(uses)) {
                continue;
            }
            long free = uses.keySet().stream().mapToLong(e.getValue()::free).sum();
            if (free > bestFree) {
                best = e.getKey();
                bestFree = free;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        String host = best;
        return hosts.get(host).tryAcquire(uses).map(a -> new Allocation(host, a.slots()));
    }

    public synchronized void release(Allocation allocation) {
        Pools pools = hosts.get(allocation.host());
        if (pools != null) {
            pools.release(allocation);
        }
    }

    /** Whether {@code uses} could ever fit on some host that is up, even with every slot free. */
    public synchronized boolean fits(Map<String, Integer> uses) {
        return hosts.entrySet().stream().anyMatch(e -> !down.containsKey(e.getKey()) && e.getValue().fits(uses));
    }

    /** Marks a host unreachable: it receives no new task until {@link #up}. */
    public synchronized void down(String host, String reason) {
        if (hosts.containsKey(host)) {
            down.put(host, reason);
        }
    }

    public synchronized void up(String host) {
        down.remove(host);
    }

    /** The hosts marked down, with why. */
    public synchronized Map<String, String> downHosts() {
        return Map.copyOf(down);
    }

    public Map<String, Integer> capacity(String host) {
        return hosts.get(host).capacity();
    }

    /** What the hosts offer, for messages: {@code {gpu=2}}, or {@code a {gpu=1}, b {gpu=1} (b is down: ...)}. */
    public synchronized String describe() {
        if (hosts.size() == 1 && down.isEmpty()) {
            return hosts.values().iterator().next().capacity().toString();
        }
        StringBuilder sb = new StringBuilder();
        hosts.forEach((name, pools) -> {
            sb.append(sb.length() == 0 ? "" : ", ").append(name).append(' ').append(pools.capacity());
            if (down.containsKey(name)) {
                sb.append(" (down: ").append(down.get(name)).append(')');
            }
        });
        return sb.toString();
    }
}
