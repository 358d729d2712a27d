package dev.gantry.engine.serial;

import dev.gantry.core.pipeline.JobDef;
import dev.gantry.core.pipeline.Serial;
import dev.gantry.engine.event.BuildInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Concourse's serial semantics across the builds of each pipeline: a group (a serial job's own name, or a name in
 * {@code serial_groups}) admits at most {@code max_in_flight} builds at once, and the oldest waiting build first.
 * The tasks of one build's job (matrix cells, shards) count as one build.
 */
public final class SerialGates implements JobGate {

    private final Map<String, Group> groups = new HashMap<>();

    @Override
    public Optional<Pass> tryEnter(BuildInfo build, JobDef job, Runnable wake) {
        Serial serial = job.serial();
        if (serial.isNone()) {
            return OPEN.tryEnter(build, job, wake);
        }
        List<Group> needed = new ArrayList<>();
        synchronized (this) {
            boolean admitted = true;
            for (String name : serial.groups()) {
                Group g = groups.computeIfAbsent(build.pipelineName() + "\u0000" + name, k -> new Group());
                g.limit = serial.maxInFlight();
                needed.add(g);
                admitted &= g.admits(build);
            }
            if (!admitted) {
                needed.forEach(g -> g.waiting.put(build.number(), new Waiter(build.id(), wake)));
                return Optional.empty();
            }
            needed.forEach(g -> {
                g.waiting.remove(build.number());
                g.holders.merge(build.id(), 1, Integer::sum);
            });
        }
        return Optional.of(new Pass() {
            private boolean closed;

            @Override
            public void close() {
                List<Runnable> wakes = new ArrayList<>();
                synchronized (SerialGates.this) {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    for (Group g : needed) {
                        if (g.holders.merge(build.id(), -1, Integer::sum) <= 0) {
                            g.holders.remove(build.id());
                            g.waiting.values().forEach(w -> wakes.add(w.wake()));
                        }
                    }
                }
                wakes.forEach(Runnable::run);
            }
        });
    }

    @Override
    public void buildEnded(BuildInfo build) {
        List<Runnable> wakes = new ArrayList<>();
        synchronized (this) {
            for (Group g : groups.values()) {
                Waiter w = g.waiting.get(build.number());
                if (w != null && w.buildId().equals(build.id())) {
                    g.waiting.remove(build.number());
                    g.waiting.values().forEach(o -> wakes.add(o.wake()));
                }
            }
        }
        wakes.forEach(Runnable::run);
    }

    /** Builds of the group that hold a slot now (by id, how many of their tasks), and those waiting, oldest first. */
    private static final class Group {
        private final Map<String, Integer> holders = new LinkedHashMap<>();
        private final TreeMap<Long, Waiter> waiting = new TreeMap<>();
        private int limit = 1;

        boolean admits(BuildInfo build) {
            if (holders.containsKey(build.id())) {
                return true;
            }
            Long oldestWaiting = waiting.isEmpty() ? null : waiting.firstKey();
            return holders.size() < limit && (oldestWaiting == null || oldestWaiting >= build.number());
        }
    }

    private record Waiter(String buildId, Runnable wake) {
    }
}
