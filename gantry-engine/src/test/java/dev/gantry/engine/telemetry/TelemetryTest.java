package dev.gantry.engine.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.process.LeftoverProcesses;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.scheduler.EngineSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryTest {

    @TempDir
    Path dir;

    /** Holds about 150 MiB in a shell variable, then idles (the last echo keeps bash from exec'ing sleep). */
    private static final String ALLOCATE = "data=$(head -c 150m /dev/zero | tr '\\0' x); echo allocated; sleep %s; echo ${#data}";

    @Test
    void samplesTheTasksProcessesAndSummarisesPeaks() throws Exception {
        var r = new BuildFixture(dir).settings(new EngineSettings(2, false, System.getenv(), Clock.systemUTC(),
                Duration.ofMillis(200))).run("""
                jobs:
                  hungry:
                    steps:
                      - run: %s
                """.formatted(ALLOCATE.formatted("1.5")));
        assertThat(r.task("hungry").state()).isEqualTo(TaskState.SUCCEEDED);
        List<Summary> summaries = r.events().stream().filter(e -> e instanceof BuildEvent.TelemetrySummarized)
                .flatMap(e -> ((BuildEvent.TelemetrySummarized) e).summaries().stream()).toList();
        assertThat(summaries).hasSize(1);
        Summary task = summaries.get(0);
        assertThat(task.scope()).isEqualTo("task");
        assertThat(task.samples()).isGreaterThanOrEqualTo(5);
        assertThat(task.peakRssBytes()).isGreaterThan(140L * 1024 * 1024);
        assertThat(task.peakCpuPercent()).isGreaterThan(0);
        List<String> csv = Files.readAllLines(dir.resolve(".gantry/builds/1/telemetry/hungry.csv"));
        assertThat(csv.get(0)).isEqualTo("time,scope,cpu_percent,rss_bytes,gpu_utilization_percent,gpu_memory_bytes");
        assertThat(csv).hasSize(task.samples() + 1);
        assertThat(Files.readString(dir.resolve(".gantry/builds/1/build.json"))).contains("\"peakRssBytes\"");
    }

    @Test
    void memoryLimitFailsATaskThatAllocatesTooMuch() throws Exception {
        var r = new BuildFixture(dir).run("""
                jobs:
                  hungry:
                    limits: {memory: 64m}
                    steps:
                      - run: %s
                    on_failure:
                      - run: echo "over the limit"
                  modest:
                    limits: {memory: 1g}
                    steps:
                      - run: echo fits
                """.formatted(ALLOCATE.formatted("3181")));
        assertThat(r.task("hungry").state()).isEqualTo(TaskState.FAILED);
        assertThat(r.task("hungry").reason()).matches("memory limit exceeded: the task's processes use \\d+(\\.\\d)? MiB, "
                + "the limit is 64\\.0 MiB");
        assertThat(r.output("hungry")).contains("over the limit");
        assertThat(r.task("modest").state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(LeftoverProcesses.matching("sleep 3181")).isEmpty();
    }
}
