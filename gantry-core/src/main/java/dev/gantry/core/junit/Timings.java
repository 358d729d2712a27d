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

    public Timings() {
        for (Type t : Type.values()) {
            history.put(t, new TreeMap<>());
        }
    }

    /** The stored form: type → key → the last runs' seconds, oldest first. */
    public Map<Type, Map<String, List<Double>>> history() {
        return history;
    }

    public static Timings of(Map<Type, Map<String, List<Double>>> stored) {
        Timings t = new Timings();
        stored.forEach((type, entries) -> entries.forEach((k, v) -> t.history.get(type).put(k, new ArrayList<>(v))));
        return t;
    }

    /** Adds one run's results: only passing tests count; each key gets the sum of its cases' times. */
    public void record(List<TestCase> run) {
        Map<Type, Map<String, Double>> sums = new LinkedHashMap<>();
        for (Type t : Type.values()) {
            sums.put(t, new TreeMap<>());
        }
        for (TestCase c : run) {
            if (c.status() != TestCase.Status.PASSED) {
                continue;
            }
            if (c.file() != null) {
                sums.get(Type.FILENAME).merge(c.file(), c.seconds(), Double::sum);
            }
            if (c.className() != null && !c.className().isBlank()) {
                sums.get(Type.CLASSNAME).merge(c.outerClass(), c.seconds(), Double::sum);
                sums.get(Type.TESTNAME).merge(c.outerClass() + "." + c.baseName(), c.seconds(), Double::sum);
            } else {
                sums.get(Type.TESTNAME).merge(c.baseName(), c.seconds(), Double::sum);
            }
        }
        sums.forEach((type, values) -> values.forEach((key, seconds) -> {
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
