package dev.gantry.server.trends;

import dev.gantry.store.BuildRow;
import dev.gantry.store.ResultRows;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The slowest tests of a pipeline's latest build that has tests, each with how its time changed: against the median
 * of its times in up to {@link #EARLIER} earlier builds that ran it.
 */
public final class SlowTests {

    static final int EARLIER = 10;

    private SlowTests() {
    }

    /**
     * @param before the median of its earlier times; null when no earlier build ran it (a new test)
     * @param builds how many earlier builds that median is of
     */
    public record SlowTest(TestKey test, double seconds, Double before, int builds) {

        /** The change in percent against {@code before}; null for a new test. */
        public Long changePercent() {
            return before == null || before <= 0 ? null : Math.round(100 * (seconds - before) / before);
        }
    }

    /** The {@code limit} slowest tests of the newest build that has any, with their changes. */
    public static List<SlowTest> of(History history, int limit) {
        List<BuildRow> builds = history.builds();
        int latest = builds.size() - 1;
        while (latest >= 0 && history.testsOf(builds.get(latest)).isEmpty()) {
            latest--;
        }
        if (latest < 0) {
            return List.of();
        }
        int newest = latest;
        Map<TestKey, Double> now = times(history.testsOf(builds.get(newest)));
        List<SlowTest> out = new ArrayList<>();
        now.entrySet().stream().sorted(Map.Entry.<TestKey, Double>comparingByValue().reversed()).limit(limit)
                .forEach(e -> {
                    List<Double> earlier = new ArrayList<>();
                    for (int i = newest - 1; i >= 0 && earlier.size() < EARLIER; i--) {
                        Double t = times(history.testsOf(builds.get(i))).get(e.getKey());
                        if (t != null) {
                            earlier.add(t);
                        }
                    }
                    out.add(new SlowTest(e.getKey(), e.getValue(), median(earlier), earlier.size()));
                });
        return out;
    }

    /** Each test's time in one build, as it ended ({@link FinalResults}). */
    private static Map<TestKey, Double> times(List<ResultRows.TestRow> tests) {
        Map<TestKey, Double> out = new LinkedHashMap<>();
        FinalResults.of(tests).forEach(t -> out.put(TestKey.of(t), t.seconds()));
        return out;
    }

    private static Double median(List<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.naturalOrder());
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
