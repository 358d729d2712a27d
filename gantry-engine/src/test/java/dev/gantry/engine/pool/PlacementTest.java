package dev.gantry.engine.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlacementTest {

    private static Placement twoHosts() {
        Map<String, Map<String, Integer>> hosts = new LinkedHashMap<>();
        hosts.put("a", Map.of("gpu", 1, "slot", 2));
        hosts.put("b", Map.of("gpu", 1, "slot", 2));
        return new Placement(hosts);
    }

    @Test
    void spreadsTasksOverHostsAndNeverOverCommitsOne() {
        Placement p = twoHosts();
        Allocation first = p.tryAcquire(Map.of("gpu", 1)).orElseThrow();
        Allocation second = p.tryAcquire(Map.of("gpu", 1)).orElseThrow();
        assertThat(List.of(first.host(), second.host())).containsExactlyInAnyOrder("a", "b");
        assertThat(first.slots().get("gpu")).containsExactly(0);
        assertThat(p.tryAcquire(Map.of("gpu", 1))).isEmpty();
        p.release(second);
        assertThat(p.tryAcquire(Map.of("gpu", 1)).orElseThrow().host()).isEqualTo(second.host());
    }

    @Test
    void aTaskGetsEverythingItUsesOnOneHostOrNothing() {
        Placement p = twoHosts();
        Allocation gpuOnA = p.tryAcquire(Map.of("gpu", 1)).orElseThrow();
        Optional<Allocation> both = p.tryAcquire(Map.of("gpu", 1, "slot", 2));
        assertThat(both).isPresent();
        assertThat(both.get().host()).isNotEqualTo(gpuOnA.host());
        assertThat(p.tryAcquire(Map.of("gpu", 1, "slot", 1))).isEmpty();
        assertThat(p.fits(Map.of("gpu", 2))).isFalse();
    }

    @Test
    void aHostMarkedDownReceivesNoTaskUntilItIsUpAgain() {
        Placement p = twoHosts();
        p.down("a", "connection refused");
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            p.tryAcquire(Map.of("slot", 1)).ifPresent(a -> placed.add(a.host()));
        }
        assertThat(placed).containsExactly("b", "b");
        assertThat(p.describe()).contains("a {", "(down: connection refused)");
        p.down("b", "gone");
        assertThat(p.fits(Map.of("slot", 1))).isFalse();
        p.up("a");
        assertThat(p.tryAcquire(Map.of("slot", 1)).orElseThrow().host()).isEqualTo("a");
    }
}
