package dev.gantry.server.trends;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.store.BuildRow;
import dev.gantry.store.ResultRows;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Flaky tests from a pipeline's history: failed then passed on a retry within a build, or on a later build of the
 * same commit; never a test that fails on one commit and passes on the next (a fix), nor one that differs between
 * matrix cells; and the slowest tests' change against their earlier median.
 */
class FlakyTestsTest {

    private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");
    private final List<BuildRow> builds = new java.util.ArrayList<>();
    private final Map<String, List<ResultRows.TestRow>> tests = new LinkedHashMap<>();

    private void build(long number, String commit, ResultRows.TestRow... rows) {
        String id = "b" + number;
        builds.add(new BuildRow(id, "p", number, "gantry.yml", "d", commit, "main", null, null, null, "poll",
                "succeeded", T.plusSeconds(number * 60), T.plusSeconds(number * 60 + 30), List.of()));
        tests.put(id, List.of(rows));
    }

    private static ResultRows.TestRow test(String task, String name, String status, double seconds) {
        return new ResultRows.TestRow(task, "s", "a.B", name, status, seconds, null);
    }

    private History history() {
        return new History(builds, tests);
    }

    @Test
    void findsRetriesAndRebuildsOfTheSameCommitButNotFixesOrMatrixCells() {
        build(1, "c1", test("unit[1]", "net", "FAILED", 1), test("unit[1]", "net", "PASSED", 1));
        build(2, "c2", test("unit[2]", "disk", "FAILED", 1), test("e2e[py=3.11]", "voice", "FAILED", 1),
                test("e2e[py=3.12]", "voice", "PASSED", 1));
        build(3, "c2", test("unit[1]", "disk", "PASSED", 1), test("e2e[py=3.11]", "voice", "FAILED", 1));
        build(4, "c3", test("unit[1]", "fixed", "FAILED", 1));
        build(5, "c4", test("unit[1]", "fixed", "PASSED", 1));

        FlakyTests flaky = FlakyTests.of(history());
        assertThat(flaky.tests()).extracting(f -> f.test().name()).containsExactly("disk", "net");
        FlakyTests.Flaky disk = flaky.tests().get(0);
        assertThat(disk.test()).isEqualTo(new TestKey("unit", "a.B", "disk"));
        assertThat(disk.sightings()).containsExactly(new FlakyTests.Sighting(disk.test(), FlakyTests.How.REBUILD,
                2, 3));
        assertThat(flaky.tests().get(1).sightings()).extracting(FlakyTests.Sighting::how)
                .containsExactly(FlakyTests.How.RETRY);
        assertThat(flaky.in(1)).containsExactly(java.util.Map.entry(new TestKey("unit", "a.B", "net"),
                FlakyTests.How.RETRY));
        assertThat(flaky.in(2)).containsOnlyKeys(disk.test());
        assertThat(flaky.in(3)).containsExactly(java.util.Map.entry(disk.test(), FlakyTests.How.REBUILD));
        assertThat(flaky.in(5)).as("a fix on a new commit is not flaky").isEmpty();
    }

    @Test
    void theSlowestTestsComeWithTheirChangeAgainstTheEarlierMedian() {
        build(1, "c1", test("unit[1]", "speak", "PASSED", 2.0), test("unit[2]", "listen", "PASSED", 1.0));
        build(2, "c2", test("unit[2]", "speak", "PASSED", 4.0), test("unit[1]", "listen", "PASSED", 1.0));
        build(3, "c3", test("unit[1]", "speak", "PASSED", 6.0), test("unit[2]", "listen", "PASSED", 0.5),
                test("unit[2]", "brand-new", "PASSED", 0.1));
        build(4, "c4");

        List<SlowTests.SlowTest> slow = SlowTests.of(history(), 10);
        assertThat(slow).extracting(s -> s.test().name()).containsExactly("speak", "listen", "brand-new");
        assertThat(slow.get(0).before()).isEqualTo(3.0);
        assertThat(slow.get(0).changePercent()).isEqualTo(100);
        assertThat(slow.get(1).changePercent()).isEqualTo(-50);
        assertThat(slow.get(2).before()).isNull();
        assertThat(slow.get(2).changePercent()).isNull();
        assertThat(history().passRate().percent()).isEqualTo(100);
    }
}
