package dev.gantry.core.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JUnitReportsTest {

    private static List<TestCase> parse(String name) throws Exception {
        return JUnitReports.parse(name, Files.readAllBytes(Path.of("src/test/resources/junit", name)));
    }

    @Test
    void readsSurefireWithStatusesMessagesNestedClassesAndParameters() throws Exception {
        List<TestCase> cases = parse("surefire.xml");
        assertThat(cases).hasSize(6);
        assertThat(cases.get(0)).isEqualTo(new TestCase("dev.example.ProsodyTest", "dev.example.ProsodyTest",
                "happyIsHigher", null, 0.011, TestCase.Status.PASSED, null));
        assertThat(cases.get(1).baseName()).isEqualTo("zeroIntensity");
        TestCase nested = cases.get(3);
        assertThat(nested.status()).isEqualTo(TestCase.Status.FAILED);
        assertThat(nested.message()).isEqualTo("expected: 1 but was: 2");
        assertThat(nested.outerClass()).isEqualTo("dev.example.ProsodyTest");
        assertThat(cases.get(4).status()).isEqualTo(TestCase.Status.ERROR);
        assertThat(cases.get(5).status()).isEqualTo(TestCase.Status.SKIPPED);
    }

    @Test
    void readsPytestXunit2WithoutFilesAndXunit1WithFiles() throws Exception {
        List<TestCase> x2 = parse("pytest-xunit2.xml");
        assertThat(x2).extracting(TestCase::file).containsOnlyNulls();
        assertThat(x2.get(0).baseName()).isEqualTo("test_load");
        assertThat(parse("pytest-xunit1-files.xml")).extracting(TestCase::file).containsOnly("tests/test_a.py");
    }

    @Test
    void readsJestJunitFilesFromTheSuiteAndGoJunitReport() throws Exception {
        assertThat(parse("jest-junit.xml")).extracting(TestCase::file).containsOnly("src/Button.test.js");
        List<TestCase> go = parse("go-junit-report.xml");
        assertThat(go).extracting(TestCase::suite).containsOnly("example.com/tts/audio");
        assertThat(go.get(1).message()).isEqualTo("Failed");
    }

    @Test
    void malformedReportsAreErrorsNamingTheFile() {
        assertThatThrownBy(() -> JUnitReports.parse("target/bad.xml", "<testsuite><testcase".getBytes()))
                .isInstanceOf(JUnitReports.MalformedReportException.class).hasMessageStartingWith("target/bad.xml: not valid XML");
        assertThatThrownBy(() -> JUnitReports.parse("pom.xml", "<project/>".getBytes()))
                .hasMessage("pom.xml: not a JUnit report: the root element is <project>, expected <testsuites> or <testsuite>");
        assertThatThrownBy(() -> JUnitReports.parse("x.xml",
                "<testsuite><testcase name=\"a\" time=\"soon\"/></testsuite>".getBytes()))
                .hasMessage("x.xml: test 'a' has a bad time 'soon'");
    }

    @Test
    void refusesDoctypesSoAReportCannotReadOtherFiles() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<testsuite><testcase name=\"&x;\"/></testsuite>";
        assertThatThrownBy(() -> JUnitReports.parse("evil.xml", xxe.getBytes())).hasMessageContaining("evil.xml: not valid XML")
                .hasMessageContaining("DOCTYPE");
    }

    @Test
    void timingsComeFromPassingRunsKeyedByFileClassAndTestAndSmoothedByMedian() throws Exception {
        Timings t = new Timings();
        t.record(parse("surefire.xml"));
        assertThat(t.estimates(Timings.Type.CLASSNAME)).containsEntry("dev.example.ProsodyTest", 0.061);
        assertThat(t.estimates(Timings.Type.TESTNAME)).containsEntry("dev.example.ProsodyTest.zeroIntensity", 0.05)
                .doesNotContainKey("dev.example.ProsodyTest.nested");
        t.record(parse("pytest-xunit1-files.xml"));
        t.record(parse("pytest-xunit1-files.xml"));
        assertThat(t.estimates(Timings.Type.FILENAME)).containsEntry("tests/test_a.py", 3.0);
        for (double s : new double[] {10, 1, 2, 3, 4, 5}) {
            t.record(List.of(new TestCase("s", "C", "t", null, s, TestCase.Status.PASSED, null)));
        }
        assertThat(t.history().get(Timings.Type.CLASSNAME).get("C")).containsExactly(1.0, 2.0, 3.0, 4.0, 5.0);
        assertThat(t.estimates(Timings.Type.CLASSNAME)).containsEntry("C", 3.0);
        assertThat(t.detect(List.of("tests/test_a.py"))).isEqualTo(Timings.Type.FILENAME);
        assertThat(t.detect(List.of("C", "dev.example.ProsodyTest"))).isEqualTo(Timings.Type.CLASSNAME);
    }

    @Test
    void timesThatAreNotFiniteOrAreNegativeNeverReachTheHistory() throws Exception {
        List<TestCase> cases = JUnitReports.parse("odd.xml", """
                <testsuite>
                  <testcase classname="a.Good" name="ok" time="2.0"/>
                  <testcase classname="a.Nan" name="x" time="NaN"/>
                  <testcase classname="a.Inf" name="x" time="Infinity"/>
                  <testcase classname="a.Neg" name="x" time="-990"/>
                  <testcase classname="a.Mixed" name="fine" time="1.0"/>
                  <testcase classname="a.Mixed" name="broken" time="NaN"/>
                </testsuite>
                """.getBytes());
        assertThat(cases).filteredOn(c -> !c.hasValidTime()).extracting(TestCase::className)
                .containsExactly("a.Nan", "a.Inf", "a.Neg", "a.Mixed");
        Timings t = new Timings();
        t.record(cases);
        assertThat(t.estimates(Timings.Type.CLASSNAME)).as("a class with an unknown part has an unknown sum")
                .containsOnlyKeys("a.Good");
        assertThat(t.estimates(Timings.Type.TESTNAME)).containsOnlyKeys("a.Good.ok", "a.Mixed.fine");
    }

    @Test
    void storedValuesThatAreNotValidSecondsAreDroppedAndCounted() {
        Timings t = Timings.of(Map.of(Timings.Type.CLASSNAME, Map.of(
                "A", List.of(Double.NaN, 3.0), "B", List.of(-990.0), "C", List.of(Double.POSITIVE_INFINITY, 1.0))));
        assertThat(t.estimates(Timings.Type.CLASSNAME)).containsOnly(Map.entry("A", 3.0), Map.entry("C", 1.0));
        assertThat(t.ignored()).isEqualTo(3);
    }
}
