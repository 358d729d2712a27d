package dev.gantry.server.ui;

import dev.gantry.server.trends.FlakyTests;
import dev.gantry.server.trends.History;
import dev.gantry.server.trends.SlowTests;
import dev.gantry.store.BuildRow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The trends section of a pipeline's page, made from its {@link History}. */
public final class Trends {

    static final int SLOWEST = 10;

    private Trends() {
    }

    /**
     * @param durationsSvg each build's duration, a bar in its status's colour
     * @param passRate     null when no build has ended
     * @param jobsSvg      each job's duration over the builds
     * @param jobs         each job's figures
     * @param slowest      the latest tests' slowest, with their change
     * @param shardsSvg    for each job split into shards: its shards' times over the builds, predicted and actual
     * @param flaky        flaky tests, the most recently seen first
     */
    public record View(int builds, String durationsSvg, History.PassRate passRate, String jobsSvg,
                       List<JobFigures> jobs, List<SlowTests.SlowTest> slowest, Map<String, String> shardsSvg,
                       List<FlakyTests.Flaky> flaky) {
        public boolean isEmpty() {
            return builds == 0;
        }
    }

    /** A job over the window: its latest and median durations, and how many of its runs succeeded. */
    public record JobFigures(String job, Long latestMs, Long medianMs, long succeeded, long ran) {
        public int passPercent() {
            return ran == 0 ? 0 : (int) Math.round(100.0 * succeeded / ran);
        }
    }

    static View of(History history, Path dataDir) {
        List<BuildRow> builds = history.builds();
        Map<String, List<Double>> jobSeries = TrendCharts.jobSeries(builds);
        return new View(builds.size(), TrendCharts.durations(builds), history.passRate(),
                jobSeries.isEmpty() ? "" : TrendCharts.lines("jobs", builds, jobSeries, List.of()),
                jobFigures(builds, jobSeries), SlowTests.of(history, SLOWEST), shards(history, dataDir),
                FlakyTests.of(history).tests());
    }

    private static List<JobFigures> jobFigures(List<BuildRow> builds, Map<String, List<Double>> series) {
        List<JobFigures> out = new ArrayList<>();
        series.forEach((job, seconds) -> {
            List<Double> known = seconds.stream().filter(java.util.Objects::nonNull).sorted().toList();
            Double latest = null;
            for (int i = seconds.size() - 1; i >= 0 && latest == null; i--) {
                latest = seconds.get(i);
            }
            long ran = 0;
            long succeeded = 0;
            for (BuildRow b : builds) {
                List<BuildRow.TaskRow> tasks = b.tasks().stream().filter(t -> t.job().equals(job)
                        && t.finishedAt() != null).toList();
                if (!tasks.isEmpty()) {
                    ran++;
                    succeeded += tasks.stream().allMatch(t -> t.status().equals("succeeded")) ? 1 : 0;
                }
            }
            out.add(new JobFigures(job, latest == null ? null : Math.round(latest * 1000),
                    known.isEmpty() ? null : Math.round(known.get(known.size() / 2) * 1000), succeeded, ran));
        });
        return out;
    }

    /**
     * For each job split into shards in any build: its slowest and fastest shard by build, predicted (dashed) and
     * actual. A balanced split keeps the lines of each pair close.
     */
    private static Map<String, String> shards(History history, Path dataDir) {
        List<BuildRow> builds = history.builds();
        Map<String, Map<String, List<Double>>> byJob = new LinkedHashMap<>();
        for (int i = 0; i < builds.size(); i++) {
            BuildRow b = builds.get(i);
            Map<String, List<Views.ShardTime>> shards = new LinkedHashMap<>();
            ShardTimes.of(b, history.testsOf(b), dataDir)
                    .forEach(s -> shards.computeIfAbsent(s.job(), k -> new ArrayList<>()).add(s));
            for (Map.Entry<String, List<Views.ShardTime>> e : shards.entrySet()) {
                Map<String, List<Double>> series = byJob.computeIfAbsent(e.getKey(), k -> newSeries(builds.size()));
                List<Views.ShardTime> s = e.getValue();
                series.get("actual slowest").set(i, s.stream().mapToDouble(Views.ShardTime::actualSeconds).max()
                        .orElseThrow());
                series.get("actual fastest").set(i, s.stream().mapToDouble(Views.ShardTime::actualSeconds).min()
                        .orElseThrow());
                if (s.stream().allMatch(x -> x.predictedSeconds() != null)) {
                    series.get("predicted slowest").set(i, s.stream().mapToDouble(Views.ShardTime::predictedSeconds)
                            .max().orElseThrow());
                    series.get("predicted fastest").set(i, s.stream().mapToDouble(Views.ShardTime::predictedSeconds)
                            .min().orElseThrow());
                }
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        byJob.forEach((job, series) -> out.put(job, TrendCharts.lines("shards-" + job, builds, series,
                List.of("predicted slowest", "predicted fastest"))));
        return out;
    }

    private static Map<String, List<Double>> newSeries(int builds) {
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (String name : List.of("actual slowest", "actual fastest", "predicted slowest", "predicted fastest")) {
            series.put(name, new ArrayList<>(java.util.Collections.nCopies(builds, (Double) null)));
        }
        return series;
    }
}
