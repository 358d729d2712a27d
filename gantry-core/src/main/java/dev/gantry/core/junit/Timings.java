package dev.gantry.core.junit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-test duration history, keyed three ways (file, class, test name), from passing runs only, smoothed as the
 * median of the last {@link #KEPT} runs. Files map from the report's {@code file} attribute; classes to their
 * top-level class; test names drop their parameters, so every case of a parameterised test adds up to one entry.
 */
public final class Timings {

    public static final int KEPT = 5;

    /** How split items are named. */
    public enum Type { FILENAME, CLASSNAME, TESTNAME }

    private final Map<Type, Map<String, List<Double>>> history = new LinkedHashMap<>();
    private int ignored;

    public Timings() {
        for (Type t : Type.values()) {
            history.put(t, new TreeMap<>());
        }
    }

    /** The stored form: type → key → the last runs' seconds, oldest first. */
    public Map<Type, Map<String, List<Double>>> history() {
        return history;
    }

    /**
     * A history as stored. Values that are not a finite, non-negative number of seconds (a report's {@code NaN},
     * {@code -990}) are dropped, so that no split ever predicts with them; {@link #ignored()} says how many.
     */
    public static Timings of(Map<Type, Map<String, List<Double>>> stored) {
        Timings t = new Timings();
        stored.forEach((type, entries) -> {
            if (type == null || entries == null) {
                return;
            }
            entries.forEach((k, v) -> {
                List<Double> runs = new ArrayList<>();
                for (Double seconds : v == null ? List.<Double>of() : v) {
                    if (seconds != null && TestCase.isValidSeconds(seconds)) {
                        runs.add(seconds);
                    } else {
                        t.ignored++;
                    }
                }
                if (k != null && !runs.isEmpty()) {
                    t.history.get(type).put(k, runs);
                }
            });
        });
        return t;
    }

    /** How many stored values {@link #of} dropped because they were not a valid number of seconds. */
    public int ignored() {
        return ignored;
    }

    /**
     * Adds one run's results: only passing tests count; each key gets the sum of its cases' times. A key one of
     * whose cases has no valid time ({@link TestCase#hasValidTime()}) gets nothing from this run: its sum is unknown.
     */
    public void record(List<TestCase> run) {
        Map<Type, Map<String, Double>> sums = new LinkedHashMap<>();
        for (Type t : Type.values()) {
            sums.put(t, new TreeMap<>());
        }
        for (TestCase c : run) {
            if (c.status() != TestCase.Status.PASSED) {
                continue;
            }
            double seconds = c.hasValidTime() ? c.seconds() : Double.NaN;
            if (c.file() != null) {
                sums.get(Type.FILENAME).merge(c.file(), seconds, Double::sum);
            }
            if (c.className() != null && !c.className().isBlank()) {
                sums.get(Type.CLASSNAME).merge(c.outerClass(), seconds, Double::sum);
                sums.get(Type.TESTNAME).merge(c.outerClass() + "." + c.baseName(), seconds, Double::sum);
            } else {
                sums.get(Type.TESTNAME).merge(c.baseName(), seconds, Double::sum);
            }
        }
        sums.forEach((type, values) -> values.forEach((key, seconds) -> {
            if (!TestCase.isValidSeconds(seconds)) {
                return;
            }
            List<Double> runs = history.get(type).computeIfAbsent(key, k -> new ArrayList<>());
            runs.add(seconds);
            while (runs.size() > KEPT) {
                runs.remove(0);
            }
        }));
    }

    /** The smoothed seconds of each key of a type: the median of its kept runs. */
    public Map<String, Double> estimates(Type type) {
        Map<String, Double> out = new TreeMap<>();
        history.get(type).forEach((k, runs) -> {
            double[] s = runs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            if (s.length > 0) {
                out.put(k, s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2);
            }
        });
        return out;
    }

    /** The type whose keys the given items match best, for {@code --timings-type=autodetect}. */
    public Type detect(List<String> items) {
        Type best = Type.FILENAME;
        long bestHits = -1;
        for (Type t : Type.values()) {
            long hits = items.stream().filter(history.get(t)::containsKey).count();
            if (hits > bestHits) {
                best = t;
                bestHits = hits;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return Arrays.toString(Type.values()) + history.values().stream().map(Map::size).toList();
    }
}
