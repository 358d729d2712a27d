package dev.gantry.core.split;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Splits items over shards. Deterministic, so every shard computes the same plan on its own: the same inputs give
 * the same plan on every machine.
 */
public final class Splitter {

    private Splitter() {
    }

    /**
     * Longest first onto the least-loaded shard (ties: the lower index), items of equal weight in name order.
     * Items without a weight get {@code defaultWeight}, or when that is null the mean of the known weights of the
     * items being split (1 when none is known). Weights of items that are not being split (deleted tests) are
     * ignored.
     */
    public static SplitPlan byWeight(Collection<String> items, Map<String, Double> weights, int total,
                                     Double defaultWeight) {
        check(total);
        double fallback = fallback(items, weights, defaultWeight);
        List<String> order = longestFirst(items, weights, defaultWeight);
        List<List<String>> shards = new ArrayList<>();
        double[] load = new double[total];
        for (int i = 0; i < total; i++) {
            shards.add(new ArrayList<>());
        }
        for (String n : order) {
            int best = 0;
            for (int i = 1; i < total; i++) {
                if (load[i] < load[best]) {
                    best = i;
                }
            }
            shards.get(best).add(n);
            load[best] += weights.getOrDefault(n, fallback);
        }
        List<SplitPlan.Shard> out = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            out.add(new SplitPlan.Shard(i, shards.get(i), load[i]));
        }
        return new SplitPlan(out);
    }

    /** The items heaviest first, equal weights in name order: the order a queue hands them out in. */
    public static List<String> longestFirst(Collection<String> items, Map<String, Double> weights,
                                            Double defaultWeight) {
        double fallback = fallback(items, weights, defaultWeight);
        List<String> order = new ArrayList<>(new TreeSet<>(items));
        order.sort(Comparator.comparingDouble((String n) -> -weights.getOrDefault(n, fallback))
                .thenComparing(Comparator.naturalOrder()));
        return order;
    }

    private static double fallback(Collection<String> items, Map<String, Double> weights, Double defaultWeight) {
        return defaultWeight != null ? defaultWeight
                : new TreeSet<>(items).stream().filter(weights::containsKey).mapToDouble(weights::get).average()
                .orElse(1.0);
    }

    /** Sorted by name and dealt round-robin: balanced in count, blind to duration. */
    public static SplitPlan byName(Collection<String> items, int total) {
        check(total);
        List<String> names = new ArrayList<>(new TreeSet<>(items));
        List<List<String>> shards = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            shards.add(new ArrayList<>());
        }
        for (int i = 0; i < names.size(); i++) {
            shards.get(i % total).add(names.get(i));
        }
        List<SplitPlan.Shard> out = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            out.add(new SplitPlan.Shard(i, shards.get(i), shards.get(i).size()));
        }
        return new SplitPlan(out);
    }

    private static void check(int total) {
        if (total < 1) {
            throw new IllegalArgumentException("the number of shards must be at least 1, not " + total);
        }
    }
}
