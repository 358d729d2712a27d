package dev.gantry.core.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Finds cycles in a graph of named nodes, such as jobs' {@code needs} or services' {@code depends_on}. */
public final class Cycles {

    private Cycles() {
    }

    /**
     * Each cycle found, written from the node where the search entered it and back to it ({@code a, b, a}).
     * Edges to unknown nodes and to the node itself are ignored (they are reported elsewhere).
     *
     * @param edges every node, in a stable order, to the nodes it points at
     */
    public static List<List<String>> find(Map<String, List<String>> edges) {
        Map<String, Integer> state = new HashMap<>(); // 1 = on the current path, 2 = done
        List<List<String>> cycles = new ArrayList<>();
        for (String start : edges.keySet()) {
            visit(start, edges, state, new ArrayList<>(), cycles);
        }
        return cycles;
    }

    private static void visit(String node, Map<String, List<String>> edges, Map<String, Integer> state,
                              List<String> path, List<List<String>> cycles) {
        Integer s = state.get(node);
        if (s != null && s == 1) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
            cycle.add(node);
            cycles.add(cycle);
            return;
        }
        if ((s != null && s == 2) || !edges.containsKey(node)) {
            return;
        }
        state.put(node, 1);
        path.add(node);
        for (String next : edges.get(node)) {
            if (!next.equals(node)) {
                visit(next, edges, state, path, cycles);
            }
        }
        path.remove(path.size() - 1);
        state.put(node, 2);
    }
}
