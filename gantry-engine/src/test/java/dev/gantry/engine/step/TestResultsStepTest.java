package dev.gantry.engine.step;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.junit.Timings;
import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.record.TimingsStore;
import dev.gantry.engine.run.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestResultsStepTest {

    @TempDir
    Path dir;

    private static final String REPORT = """
            <testsuite name="FooTest">
              <testcase classname="com.x.FooTest" name="fast" time="1.5"/>
              <testcase classname="com.x.FooTest" name="slow" time="4.0"/>
              <testcase classname="com.x.BarTest" name="broken" time="9.0"><failure message="expected 1"/></testcase>
            </testsuite>
            """;

    @Test
    void ingestsReportsPrintsCountsAndFeedsTimingsFromPassingTestsOnly() throws Exception {
        Files.createDirectories(dir.resolve("reports"));
        Files.writeString(dir.resolve("reports/TEST-foo.xml"), REPORT);
        var r = new BuildFixture(dir).run("""
                jobs:
                  unit:
                    steps:
                      - test_results: reports/*.xml
                """);
        assertThat(r.task("unit").state()).as(r.task("unit").reason()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(r.output("unit")).containsExactly("3 tests in 1 report: 2 passed, 1 failed, 0 errors, 0 skipped",
                "  failed: com.x.BarTest.broken: expected 1");
        Timings t = TimingsStore.read(r.build().info().timingsFile("unit"));
        assertThat(t.estimates(Timings.Type.CLASSNAME)).containsOnlyKeys("com.x.FooTest").containsEntry("com.x.FooTest", 5.5);
        assertThat(dir.resolve(".gantry/builds/1/tests/unit.json")).content().contains("\"broken\"");
    }

    @Test
    void everyShardOfABuildSplitsWithTheTimingsAsTheyWereWhenTheBuildStarted() throws Exception {
        Files.createDirectories(dir.resolve("reports"));
        Files.writeString(dir.resolve("reports/TEST-foo.xml"), REPORT);
        String yaml = """
                jobs:
                  unit:
                    parallelism: 2
                    steps:
                      - run: if [ -f "$GANTRY_TIMINGS_FILE" ]; then md5sum < "$GANTRY_TIMINGS_FILE"; else echo none; fi
                      - run: sed -i "s/time=\\"1.5\\"/time=\\"1$GANTRY_BUILD$GANTRY_NODE_INDEX\\"/" reports/TEST-foo.xml
                      - test_results: reports/*.xml
                """;
        var first = new BuildFixture(dir).concurrency(1).run(yaml);
        assertThat(first.output("unit[0]").get(0)).isEqualTo("none");
        assertThat(first.output("unit[1]").get(0)).isEqualTo("none");
        var second = new BuildFixture(dir).concurrency(1).run(yaml);
        assertThat(second.output("unit[0]").get(0)).isNotEqualTo("none")
                .isEqualTo(second.output("unit[1]").get(0));
        assertThat(TimingsStore.read(second.build().info().timingsFile("unit")).history()
                .get(Timings.Type.TESTNAME).get("com.x.FooTest.fast")).containsExactly(110.0, 111.0, 120.0, 121.0);
    }

    @Test
    void aMalformedReportFailsTheStepNamingItWhileTheOthersAreIngested() throws Exception {
        Files.createDirectories(dir.resolve("reports"));
        Files.writeString(dir.resolve("reports/TEST-foo.xml"), REPORT);
        Files.writeString(dir.resolve("reports/TEST-cut.xml"), "<testsuite><testcase name=\"x\"");
        var r = new BuildFixture(dir).run("""
                jobs:
                  unit:
                    steps:
                      - test_results: reports/*.xml
                """);
        assertThat(r.task("unit").state()).isEqualTo(TaskState.FAILED);
        assertThat(r.task("unit").reason()).startsWith("reports/TEST-cut.xml: not valid XML");
        assertThat(r.output("unit")).contains("3 tests in 1 report: 2 passed, 1 failed, 0 errors, 0 skipped");
        assertThat(TimingsStore.read(r.build().info().timingsFile("unit")).estimates(Timings.Type.TESTNAME))
                .containsKeys("com.x.FooTest.fast", "com.x.FooTest.slow");
    }

    @Test
    void aDoubleStarGlobAlsoFindsReportsDirectlyInItsDirectory() throws Exception {
        Files.createDirectories(dir.resolve("reports/unit"));
        Files.writeString(dir.resolve("reports/TEST-top.xml"), REPORT);
        Files.writeString(dir.resolve("reports/unit/TEST-foo.xml"), REPORT);
        var r = new BuildFixture(dir).run("""
                jobs:
                  unit:
                    steps:
                      - test_results: reports/**/*.xml
                """);
        assertThat(r.output("unit")).contains("6 tests in 2 reports: 4 passed, 2 failed, 0 errors, 0 skipped");
    }

    @Test
    void timesThatAreNaNInfiniteOrNegativeAreIgnoredWithAWarningAndNeverStored() throws Exception {
        Files.createDirectories(dir.resolve("reports"));
        Files.writeString(dir.resolve("reports/TEST-odd.xml"), """
                <testsuite>
                  <testcase classname="a.Good" name="ok" time="2.0"/>
                  <testcase classname="a.Nan" name="x" time="NaN"/>
                  <testcase classname="a.Inf" name="x" time="INF"/>
                  <testcase classname="a.Neg" name="x" time="-990"/>
                </testsuite>
                """.replace("INF", "Infinity"));
        var r = new BuildFixture(dir).run("""
                jobs:
                  unit:
                    steps:
                      - test_results: reports/*.xml
                """);
        assertThat(r.task("unit").state()).as(r.task("unit").reason()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(r.output("unit")).contains("WARNING: 3 tests have times that are not a finite, non-negative number"
                + " of seconds (first: a.Nan.x: NaNs); ignored, and not added to the timings history");
        Path history = r.build().info().timingsFile("unit");
        assertThat(TimingsStore.read(history).estimates(Timings.Type.CLASSNAME)).containsOnlyKeys("a.Good");
        assertThat(history).content().doesNotContain("NaN", "Infinity", "-990");
        assertThat(dir.resolve(".gantry/builds/1/tests/unit.json")).content()
                .doesNotContain("NaN", "Infinity", "-990").contains("\"a.Neg\"");
    }
}
