package dev.gantry.core.split;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitterTest {

    @Test
    void longestFirstOntoTheLeastLoadedShard() {
        Map<String, Double> t = Map.of("a", 8.0, "b", 7.0, "c", 6.0, "d", 5.0, "e", 4.0);
        SplitPlan plan = Splitter.byWeight(t.keySet(), t, 2, null);
        assertThat(plan.shard(0).items()).containsExactly("a", "d", "e");
        assertThat(plan.shard(1).items()).containsExactly("b", "c");
        assertThat(plan.shard(0).predicted()).isEqualTo(17.0);
        assertThat(plan.shard(1).predicted()).isEqualTo(13.0);
    }

    @Test
    void unknownItemsGetTheMeanOfTheKnownOnesAndDeletedOnesAreIgnored() {
        Map<String, Double> t = Map.of("a", 10.0, "b", 2.0, "deleted", 100.0);
        SplitPlan plan = Splitter.byWeight(List.of("a", "b", "new"), t, 2, null);
        assertThat(plan.shard(0).items()).containsExactly("a");
        assertThat(plan.shard(1).items()).containsExactly("new", "b");
        assertThat(plan.shard(1).predicted()).isEqualTo(8.0);
        assertThat(Splitter.byWeight(List.of("a", "new"), t, 2, 0.5).shard(1).predicted()).isEqualTo(0.5);
    }

    @Test
    void tiesAreBrokenByNameSoEveryShardComputesTheSamePlan() {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            items.add("test" + i);
        }
        List<String> shuffled = new ArrayList<>(items);
        java.util.Collections.shuffle(shuffled, new java.util.Random(7));
        assertThat(Splitter.byWeight(shuffled, Map.of(), 4, null)).isEqualTo(Splitter.byWeight(items, Map.of(), 4, null));
        Set<String> seen = new HashSet<>();
        for (SplitPlan.Shard s : Splitter.byWeight(items, Map.of(), 4, null).shards()) {
            for (String item : s.items()) {
                assertThat(seen.add(item)).as("%s in one shard only", item).isTrue();
            }
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(items);
    }

    @Test
    void nameSplitDealsSortedNamesRoundRobin() {
        SplitPlan plan = Splitter.byName(List.of("d", "b", "a", "c", "e"), 2);
        assertThat(plan.shard(0).items()).containsExactly("a", "c", "e");
        assertThat(plan.shard(1).items()).containsExactly("b", "d");
    }

    @Test
    void queueLetsAnEarlyFinisherTakeMoreWork() {
        Map<String, Double> actual = Map.of("a", 10.0, "b", 1.0, "c", 1.0, "d", 1.0);
        assertThat(QueueSimulation.makespan(List.of("a", "b", "c", "d"), actual, 2)).isEqualTo(10.0);
        assertThat(QueueSimulation.makespan(List.of("b", "c", "d", "a"), actual, 2)).isEqualTo(11.0);
    }
}
