package dev.gantry.engine.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolsTest {

    @Test
    void takesEverythingOrNothing() {
        Pools pools = new Pools(Map.of("gpu", 2, "tts-slot", 1));
        Allocation a = pools.tryAcquire(Map.of("gpu", 1, "tts-slot", 1)).orElseThrow();
        assertThat(a.slots()).containsEntry("gpu", List.of(0)).containsEntry("tts-slot", List.of(0));
        assertThat(pools.tryAcquire(Map.of("gpu", 1, "tts-slot", 1))).as("tts-slot is taken").isEmpty();
        Allocation b = pools.tryAcquire(Map.of("gpu", 1)).orElseThrow();
        assertThat(b.slots()).containsEntry("gpu", List.of(1)).as("the failed request took no GPU");
        pools.release(a);
        assertThat(pools.tryAcquire(Map.of("gpu", 1, "tts-slot", 1)).orElseThrow().slots())
                .containsEntry("gpu", List.of(0));
    }

    @Test
    void unknownPoolNeverFits() {
        Pools pools = new Pools(Map.of("gpu", 1));
        assertThat(pools.tryAcquire(Map.of("tpu", 1))).isEmpty();
        assertThat(pools.fits(Map.of("gpu", 2))).isFalse();
        assertThat(pools.fits(Map.of("gpu", 1))).isTrue();
    }

    @Test
    void countsGpusListedByNvidiaSmi() {
        String out = """
                GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-5f0e0c1c-7d3b-1111-2222-333344445555)
                GPU 1: NVIDIA H100 80GB HBM3 (UUID: GPU-6a1b2c3d-7d3b-1111-2222-333344445556)
                """;
        assertThat(GpuDetector.countListed(out)).isEqualTo(2);
        assertThat(GpuDetector.countListed("No devices were found\n")).isZero();
        assertThat(GpuDetector.count("/nonexistent")).isZero();
    }
}
