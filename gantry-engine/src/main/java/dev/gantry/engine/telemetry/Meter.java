package dev.gantry.engine.telemetry;

import dev.gantry.engine.process.ProcessTree;
import java.util.Set;

/**
 * Where one scope's resource use is read from: by default its processes in {@code /proc} (found by their marker);
 * on Docker, the container's cgroup (through the engine's stats), which counts what {@code /proc} cannot (page
 * cache and tmpfs the limit applies to) and works for a remote engine too.
 */
@FunctionalInterface
public interface Meter {

    /**
     * @param usage CPU seconds used so far and memory held now
     * @param pids  the scope's processes as this machine numbers them (for GPU memory by process); may be empty
     */
    record Reading(ProcStats.Usage usage, Set<Long> pids) {
    }

    Reading read();

    /** The processes carrying {@code selector}'s marker, from {@code /proc}. */
    static Meter of(ProcessTree.Selector selector) {
        return () -> {
            Set<Long> pids = ProcessTree.find(selector);
            return new Reading(ProcStats.of(pids), pids);
        };
    }
}
