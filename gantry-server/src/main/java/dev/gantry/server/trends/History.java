package dev.gantry.server.trends;

import dev.gantry.store.BuildRow;
import dev.gantry.store.ResultRows;
import dev.gantry.store.Store;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

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
        List<BuildRow> newestFirst = store.builds().list(pipeline, null, 0, limit);
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
        java.time.Instant start = b.tasks().stream().map(BuildRow.TaskRow::startedAt)
                .filter(java.util.Objects::nonNull).min(java.time.Instant::compareTo).orElse(b.startedAt());
        return Math.max(0, java.time.Duration.between(start, b.finishedAt()).toMillis());
    }

    /** How long each job ran in the build (its first task's start to its last task's end), by job, in task order. */
    public static Map<String, Long> jobDurationsMs(BuildRow b) {
        Map<String, java.time.Instant[]> spans = new java.util.LinkedHashMap<>();
        for (BuildRow.TaskRow t : b.tasks()) {
            if (t.startedAt() == null || t.finishedAt() == null) {
                continue;
            }
            spans.merge(t.job(), new java.time.Instant[] {t.startedAt(), t.finishedAt()}, (a, c) -> new java.time.Instant[] {
                    a[0].isBefore(c[0]) ? a[0] : c[0], a[1].isAfter(c[1]) ? a[1] : c[1]});
        }
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        spans.forEach((job, span) -> out.put(job, java.time.Duration.between(span[0], span[1]).toMillis()));
        return out;
    }
}
