package dev.gantry.core.split;

import java.util.List;

/** How items (test files, classes or names) are spread over shards, with each shard's predicted load. */
public record SplitPlan(List<Shard> shards) {

    public SplitPlan {
        shards = List.copyOf(shards);
    }

    /** One shard: its 0-based index, its items in the order to run them, and their predicted total. */
    public record Shard(int index, List<String> items, double predicted) {

        public Shard {
            items = List.copyOf(items);
        }
    }

    public Shard shard(int index) {
        return shards.get(index);
    }
}
