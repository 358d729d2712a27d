package dev.gantry.server.ui;

import dev.gantry.core.junit.TestCase;
import dev.gantry.core.junit.Timings;
import dev.gantry.engine.event.BuildInfo;
import dev.gantry.engine.record.TimingsStore;
import dev.gantry.server.layout.BuildDirectories;
import dev.gantry.server.trends.FinalResults;
import dev.gantry.store.BuildRow;
import dev.gantry.store.ResultRows;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * For each job split into shards, what each shard was predicted to take (the job's timings as the build started,
 * summed over the test classes the shard ran) and what its tests took.
 */
final class ShardTimes {

    private ShardTimes() {
    }

    /** Each split job's shards of the build, predicted by the timings the build started with (in its directory). */
    static List<Views.ShardTime> of(BuildRow build, List<ResultRows.TestRow> tests, Path dataDir) {
        Path dir = BuildDirectories.of(dataDir, build);
        return of(build, tests, job -> timings(dir, build, job));
    }

    private static Timings timings(Path buildDir, BuildRow b, String job) {
        try {
            Path snapshot = BuildInfo.timingsSnapshot(buildDir, b.pipeline(), job);
            return java.nio.file.Files.exists(snapshot) ? TimingsStore.read(snapshot) : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    static List<Views.ShardTime> of(BuildRow build, List<ResultRows.TestRow> tests,
                                    Function<String, Timings> timingsOfJob) {
        Map<String, List<BuildRow.TaskRow>> byJob = new LinkedHashMap<>();
        build.tasks().forEach(t -> byJob.computeIfAbsent(t.job(), k -> new ArrayList<>()).add(t));
        List<Views.ShardTime> out = new ArrayList<>();
        byJob.forEach((job, tasks) -> {
            if (tasks.size() < 2) {
                return;
            }
            Timings timings = timingsOfJob.apply(job);
            Map<String, Double> estimates = timings == null ? Map.of() : timings.estimates(Timings.Type.CLASSNAME);
            for (BuildRow.TaskRow task : tasks) {
                List<ResultRows.TestRow> mine = FinalResults.of(tests).stream()
                        .filter(t -> t.task().equals(task.name())).toList();
                if (mine.isEmpty()) {
                    continue;
                }
                double actual = mine.stream().mapToDouble(ResultRows.TestRow::seconds).sum();
                Set<String> classes = new HashSet<>();
                mine.forEach(t -> classes.add(TestCase.outerClass(t.className())));
                Double predicted = estimates.isEmpty() ? null
                        : classes.stream().mapToDouble(c -> estimates.getOrDefault(c, 0.0)).sum();
                out.add(new Views.ShardTime(job, task.name(), predicted, actual));
            }
        });
        return out;
    }
}
