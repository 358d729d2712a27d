package dev.gantry.engine.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing of recorded {@code nvidia-smi --format=csv,noheader,nounits} output. */
class NvidiaSmiTest {

    private static String recorded(String name) throws Exception {
        return Files.readString(Path.of("src/test/resources/nvidia-smi", name));
    }

    @Test
    void parsesUtilisationAndMemoryPerGpu() throws Exception {
        List<NvidiaSmi.Gpu> gpus = NvidiaSmi.parseGpus(recorded("query-gpu-h100x2.csv"));
        assertThat(gpus).containsExactly(
                new NvidiaSmi.Gpu(0, 87, 61234L * 1024 * 1024, 81559L * 1024 * 1024),
                new NvidiaSmi.Gpu(1, 3, 1022L * 1024 * 1024, 81559L * 1024 * 1024));
    }

    @Test
    void unknownUtilisationReadsAsNull() throws Exception {
        assertThat(NvidiaSmi.parseGpus(recorded("query-gpu-na.csv")).get(0).utilizationPercent()).isNull();
    }

    @Test
    void parsesGpuMemoryPerProcess() throws Exception {
        Map<Long, Long> byPid = NvidiaSmi.parseApps(recorded("query-compute-apps.csv"));
        assertThat(byPid).containsEntry(48213L, 30512L * 1024 * 1024).containsEntry(51002L, 1010L * 1024 * 1024)
                .hasSize(3);
        assertThat(NvidiaSmi.parseApps("No running processes found\n")).isEmpty();
    }

    @Test
    void isUnavailableWithoutTheCommand() {
        NvidiaSmi none = new NvidiaSmi("/nonexistent");
        assertThat(none.available()).isFalse();
        assertThat(none.query()).isEmpty();
    }
}
