package dev.gantry.server.trends;

import dev.gantry.store.BuildRow;
import dev.gantry.store.ResultRows;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tests that failed and then passed with nothing changed: on a retry of their task within one build (the failed
 * attempt's results and the passing attempt's are both recorded), or on a later build of the same commit (a
 * rebuild). Each such event is a {@link Sighting}; a flaky test is one seen so at least once.
 */
public final class FlakyTests {

    /** How a test showed itself flaky. */
    public enum How {
        RETRY, REBUILD;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One time a test failed and then passed: in build {@code failedIn}, then in {@code passedIn}. */
    public record Sighting(TestKey test, How how, long failedIn, long passedIn) {
    }

    /** A flaky test over the window, with every time it was seen so, the newest last. */
    public record Flaky(TestKey test, List<Sighting> sightings) {
        public long lastSeen() {
            return sightings.get(sightings.size() - 1).passedIn();
        }

        public Set<How> hows() {
            Set<How> out = java.util.EnumSet.noneOf(How.class);
            sightings.forEach(s -> out.add(s.how()));
            return out;
        }
    }

    private final List<Sighting> sightings;

    private FlakyTests(List<Sighting> sightings) {
        this.sightings = List.copyOf(sightings);
    }

    public static FlakyTests of(History history) {
        List<Sighting> found = new ArrayList<>();
        Map<String, Map<TestKey, Long>> byCommit = new LinkedHashMap<>();
        for (BuildRow b : history.builds()) {
            List<ResultRows.TestRow> tests = history.testsOf(b);
            Set<TestKey> failed = new HashSet<>();
            Set<TestKey> passed = new HashSet<>();
            for (ResultRows.TestRow t : tests) {
                if (TestKey.failed(t)) {
                    failed.add(TestKey.of(t));
                } else if (TestKey.passed(t)) {
                    passed.add(TestKey.of(t));
                }
            }
            for (TestKey k : failed) {
                if (passed.contains(k)) {
                    found.add(new Sighting(k, How.RETRY, b.number(), b.number()));
                }
            }
            if (b.commit() == null) {
                continue;
            }
            Map<TestKey, Long> earlierFailures = byCommit.computeIfAbsent(b.commit(), c -> new LinkedHashMap<>());
            for (TestKey k : passed) {
                Long failedIn = earlierFailures.remove(k);
                if (failedIn != null && !failed.contains(k)) {
                    found.add(new Sighting(k, How.REBUILD, failedIn, b.number()));
                }
            }
            for (TestKey k : failed) {
                if (!passed.contains(k)) {
                    earlierFailures.putIfAbsent(k, b.number());
                }
            }
        }
        return new FlakyTests(found);
    }

    /** Every flaky test, the most recently seen first. */
    public List<Flaky> tests() {
        Map<TestKey, List<Sighting>> byTest = new LinkedHashMap<>();
        sightings.forEach(s -> byTest.computeIfAbsent(s.test(), k -> new ArrayList<>()).add(s));
        List<Flaky> out = new ArrayList<>();
        byTest.forEach((k, s) -> {
            List<Sighting> sorted = new ArrayList<>(s);
            sorted.sort(Comparator.comparingLong(Sighting::passedIn));
            out.add(new Flaky(k, sorted));
        });
        out.sort(Comparator.comparingLong(Flaky::lastSeen).reversed()
                .thenComparing(f -> f.test().display()));
        return out;
    }

    /**
     * The tests that showed themselves flaky in build {@code number} (it failed there, or passed there after), with
     * how.
     */
    public Map<TestKey, How> in(long number) {
        Map<TestKey, How> out = new LinkedHashMap<>();
        sightings.stream().filter(s -> s.failedIn() == number || s.passedIn() == number)
                .forEach(s -> out.put(s.test(), s.how()));
        return out;
    }
}
