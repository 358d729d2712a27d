package dev.gantry.server.trends;

import dev.gantry.store.BuildRow;
import dev.gantry.store.ResultRows;
import dev.gantry.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pipeline's last builds, the oldest first, with each one's tests (by build id). Builds whose data retention
 * removed are still here: their records and tests stay.
 */
public record History(List<BuildRow> builds, Map<String, List<ResultRows.TestRow>> tests) {

    /** How many builds the trends and the flaky tests look back over. */
    public static final int WINDOW = 50;

    public History {
        builds = List.copyOf(builds);
        tests = Map.copyOf(tests);
    }

    public static History load(Store store, String pipeline, int limit) {
        return of(store.builds().list(pipeline, null, 0, limit), store);
    }

    /** The history of builds already read, the newest first (as the store lists them), with their tests. */
    public static History of(List<BuildRow> newestFirst, Store store) {
        List<BuildRow> builds = new ArrayList<>(newestFirst);
        Collections.reverse(builds);
        return new History(builds, store.results().tests(builds.stream().map(BuildRow::id).toList()));
    }

    public List<ResultRows.TestRow> testsOf(BuildRow build) {
        return tests.getOrDefault(build.id(), List.of());
    }

    /** The builds that have ended, the oldest first. */
    public List<BuildRow> ended() {
        return builds.stream().filter(BuildRow::hasEnded).toList();
    }

    /**
     * The share of ended builds that succeeded, cancelled ones left out (nobody's code failed); null when none
     * ended.
     */
    public PassRate passRate() {
        List<BuildRow> judged = ended().stream().filter(b -> !b.status().equals("cancelled")).toList();
        long passed = judged.stream().filter(b -> b.status().equals("succeeded")).count();
        return judged.isEmpty() ? null : new PassRate(passed, judged.size());
    }

    /** {@code passed} of {@code of} builds. */
    public record PassRate(long passed, long of) {
        public int percent() {
            return (int) Math.round(100.0 * passed / of);
        }
    }

    /**
     * How long a build ran: from its first task's start to its end (queue time left out), or from its creation
     * when no task started; null while it runs.
     */
    public static Long durationMs(BuildRow b) {
        if (!b.hasEnded()) {
            return null;
        }
        Instant start = b.tasks().stream().map(BuildRow.TaskRow::startedAt).filter(Objects::nonNull)
                .min(Instant::compareTo).orElse(b.startedAt());
        return Math.max(0, Duration.between(start, b.finishedAt()).toMillis());
    }

    /** How long each job ran in the build (its first task's start to its last task's end), by job, in task order. */
    public static Map<String, Long> jobDurationsMs(BuildRow b) {
        Map<String, Instant> starts = new LinkedHashMap<>();
        Map<String, Instant> ends = new LinkedHashMap<>();
        for (BuildRow.TaskRow t : b.tasks()) {
            if (t.startedAt() != null && t.finishedAt() != null) {
                starts.merge(t.job(), t.startedAt(), (x, y) -> x.isBefore(y) ? x : y);
                ends.merge(t.job(), t.finishedAt(), (x, y) -> x.isAfter(y) ? x : y);
            }
        }
        Map<String, Long> out = new LinkedHashMap<>();
        starts.forEach((job, start) -> out.put(job, Duration.between(start, ends.get(job)).toMillis()));
        return out;
    }
}
