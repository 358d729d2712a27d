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
        Timings t = TimingsStore.read(dir.resolve(".gantry/timings/unit.json"));
        assertThat(t.estimates(Timings.Type.CLASSNAME)).containsOnlyKeys("com.x.FooTest").containsEntry("com.x.FooTest", 5.5);
        assertThat(dir.resolve(".gantry/builds/1/tests/unit.json")).content().contains("\"broken\"");
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
        assertThat(TimingsStore.read(dir.resolve(".gantry/timings/unit.json")).estimates(Timings.Type.TESTNAME))
                .containsKeys("com.x.FooTest.fast", "com.x.FooTest.slow");
    }
}
