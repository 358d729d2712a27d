package dev.gantry.engine.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.run.TaskState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pools are never over-committed. Each step records, from inside its own process, when it held its slot and
 * which devices it saw; the test replays those intervals and checks the peak against the capacity.
 */
class PoolSchedulingTest {

    @TempDir
    Path dir;

    @TempDir
    Path shared;

    @TempDir
    Path markers;

    /**
     * Shell lines that hold shard {@code 2k} until shard {@code 2k+1} has started and vice versa (a shard without a
     * partner goes on): the pair can only finish if both ran at once, which proves the scheduler really uses the
     * room it has; a shard that waits a minute in vain fails.
     */
    private String meetPartner() {
        return """
                touch "%1$s/$GANTRY_NODE_INDEX"
                partner=$((GANTRY_NODE_INDEX ^ 1)); n=0
                if [ "$partner" -lt "$GANTRY_NODE_TOTAL" ]; then
                  until [ -e "%1$s/$partner" ]; do n=$((n+1)); [ $n -lt 1200 ] || exit 9; sleep 0.05; done
                fi
                """.formatted(markers).indent(10).stripTrailing();
    }

    /** One task's recorded stay: start and end in nanoseconds, and what it saw. */
    record Stay(String task, long start, long end, String devices) {
    }

    private List<Stay> stays() throws IOException {
        List<Stay> stays = new ArrayList<>();
        try (Stream<Path> files = Files.list(shared)) {
            for (Path f : files.toList()) {
                String[] parts = Files.readString(f).trim().split(" ", -1);
                stays.add(new Stay(f.getFileName().toString(), Long.parseLong(parts[0]), Long.parseLong(parts[1]),
                        parts.length > 2 ? parts[2] : ""));
            }
        }
        return stays;
    }

    private static int peakOverlap(List<Stay> stays) {
        int peak = 0;
        for (Stay s : stays) {
            int at = (int) stays.stream().filter(o -> o.start() <= s.start() && s.start() < o.end()).count();
            peak = Math.max(peak, at);
        }
        return peak;
    }

    @Test
    void neverRunsMoreTasksThanAPoolHasRoomFor() throws IOException {
        var r = new BuildFixture(dir).pool("tts-slot", 5).concurrency(8).run("""
                env: {SHARED: "%s"}
                jobs:
                  synth:
                    parallelism: 6
                    uses: {tts-slot: 2}
                    steps:
                      - run: |
                          start=$(date +%%s%%N)
                %s
                          end=$(date +%%s%%N)
                          echo "$start $end $GANTRY_POOL_TTS_SLOT" > "$SHARED/$GANTRY_NODE_INDEX"
                """.formatted(shared, meetPartner()));
        assertThat(r.result().state()).isEqualTo(TaskState.SUCCEEDED);
        List<Stay> stays = stays();
        assertThat(stays).hasSize(6);
        assertThat(peakOverlap(stays)).as("5 slots hold two tasks of 2 at once, never three").isLessThanOrEqualTo(2);
        for (Stay s : stays) {
            assertThat(s.devices().split(",")).hasSize(2);
        }
    }

    @Test
    void givesEachGpuTaskItsOwnDevicesAndHidesGpusFromOthers() throws IOException {
        var r = new BuildFixture(dir).pool("gpu", 2).concurrency(8).run("""
                env: {SHARED: "%s"}
                jobs:
                  infer:
                    parallelism: 5
                    uses: {gpu: 1}
                    steps:
                      - run: |
                          start=$(date +%%s%%N)
                %s
                          end=$(date +%%s%%N)
                          echo "$start $end $CUDA_VISIBLE_DEVICES" > "$SHARED/infer-$GANTRY_NODE_INDEX"
                  cpu-only:
                    steps:
                      - run: echo "0 0 ${CUDA_VISIBLE_DEVICES-unset}" > "$SHARED/cpu"
                """.formatted(shared, meetPartner()));
        assertThat(r.result().state()).isEqualTo(TaskState.SUCCEEDED);
        List<Stay> gpu = stays().stream().filter(s -> s.task().startsWith("infer")).toList();
        assertThat(gpu).hasSize(5).allSatisfy(s -> assertThat(s.devices()).isIn("0", "1"));
        assertThat(peakOverlap(gpu)).as("2 GPUs, one each").isLessThanOrEqualTo(2);
        for (Stay a : gpu) {
            for (Stay b : gpu) {
                boolean overlap = a != b && a.start() < b.end() && b.start() < a.end();
                if (overlap) {
                    assertThat(a.devices()).as("%s and %s ran together", a.task(), b.task()).isNotEqualTo(b.devices());
                }
            }
        }
        Stay cpu = stays().stream().filter(s -> s.task().equals("cpu")).findFirst().orElseThrow();
        assertThat(cpu.devices()).as("a task that asked for no GPU sees none").isEmpty();
    }

    @Test
    void concurrencyLimitBoundsTasksWithoutPools() throws IOException {
        var r = new BuildFixture(dir).concurrency(2).run("""
                env: {SHARED: "%s"}
                jobs:
                  work:
                    parallelism: 5
                    steps:
                      - run: |
                          start=$(date +%%s%%N)
                %s
                          end=$(date +%%s%%N)
                          echo "$start $end" > "$SHARED/$GANTRY_NODE_INDEX"
                """.formatted(shared, meetPartner()));
        assertThat(r.result().state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(peakOverlap(stays())).isLessThanOrEqualTo(2);
    }
}
