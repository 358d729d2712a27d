package dev.gantry.cli;

import static dev.gantry.cli.CliFixture.gantry;
import static dev.gantry.cli.CliFixture.gantryWithEnv;
import static dev.gantry.cli.CliFixture.gantryWithInput;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestsCommandTest {

    @TempDir
    Path dir;

    private Path timings() throws Exception {
        Path file = dir.resolve("timings.json");
        Files.writeString(file, """
                {"FILENAME": {}, "TESTNAME": {},
                 "CLASSNAME": {"A": [40.0], "B": [30.0], "C": [20.0], "D": [10.0], "E": [5.0], "Gone": [99.0]}}
                """);
        return file;
    }

    @Test
    void separateProcessesComputeDisjointShardsThatCoverEveryTest() throws Exception {
        Path file = timings();
        List<String> tests = new ArrayList<>(List.of("A", "B", "C", "D", "E"));
        for (int i = 0; i < 15; i++) {
            tests.add("New" + i);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> shards = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                    "dev.gantry.cli.Main", "tests", "split", "--timings-file", file.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().put("GANTRY_NODE_INDEX", String.valueOf(i));
            pb.environment().put("GANTRY_NODE_TOTAL", "4");
            Process p = pb.start();
            p.getOutputStream().write(String.join("\n", tests).getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            shards.add(p);
        }
        Set<String> seen = new HashSet<>();
        for (Process p : shards) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            for (String t : out.split("\n")) {
                if (!t.isBlank()) {
                    assertThat(seen.add(t)).as("%s is in one shard only", t).isTrue();
                }
            }
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(tests);
    }

    @Test
    void unknownTestsTakeTheMeanOfTheKnownOnesAndDeletedOnesAreIgnored() throws Exception {
        var r = gantry("tests", "split", "--timings-file", timings().toString(), "--index", "1", "--total", "2",
                "--verbose", "A", "B", "New");
        assertThat(r.exitCode()).isZero();
        // A=40 alone on shard 0; B=30 and New (mean of A and B = 35) on shard 1
        assertThat(r.out()).isEqualTo("New\nB\n");
        assertThat(r.err()).contains("shard 0: 1 tests, predicted 40.0s", "shard 1: 2 tests, predicted 65.0s");
    }

    @Test
    void formatsForTestRunners() throws Exception {
        String t = timings().toString();
        assertThat(gantry("tests", "split", "--timings-file", t, "--index", "0", "--total", "1", "--format", "maven",
                "src/test/java/x/A.java", "B").out()).isEqualTo("-Dtest=A,B\n");
        assertThat(gantry("tests", "split", "--timings-file", t, "--index", "0", "--total", "1", "--format", "gradle",
                "A").out()).isEqualTo("--tests A\n");
        assertThat(gantry("tests", "split", "--split-by", "name", "--index", "0", "--total", "2", "--format", "pytest",
                "t/test_b.py::x", "t/test_a.py", "t/test_c.py").out()).isEqualTo("t/test_a.py t/test_c.py\n");
    }

    @Test
    void sourceFilesFindTheTimingsOfTheClassesTheyHold() throws Exception {
        Path file = dir.resolve("classes.json");
        Files.writeString(file, """
                {"CLASSNAME": {"dev.x.SlowTest": [50.0], "dev.x.FastTest": [1.0], "tests.test_io": [20.0]}}
                """);
        var r = gantry("tests", "split", "--timings-file", file.toString(), "--index", "0", "--total", "2", "--verbose",
                "src/test/java/dev/x/SlowTest.java", "src/test/java/dev/x/FastTest.java", "tests/test_io.py");
        assertThat(r.out()).isEqualTo("src/test/java/dev/x/SlowTest.java\n");
        assertThat(r.err()).contains("shard 0: 1 tests, predicted 50.0s", "shard 1: 2 tests, predicted 21.0s");
    }

    @Test
    void withoutAReachableQueueRunFallsBackToTheStaticSplit() throws Exception {
        Path out = dir.resolve("ran.txt");
        var r = gantry("tests", "run", "--queue", "--split-by", "name", "--index", "1", "--total", "2",
                "--tests", "a,b,c,d", "--", "sh", "-c", "echo \"$@\" > " + out, "_", "{}");
        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).contains("no test queue (GANTRY_QUEUE_URL is not set); running the static split");
        assertThat(out).hasContent("b d");
    }

    @Test
    void badShardIndexIsInvalidInput() {
        var r = gantry("tests", "split", "--index", "4", "--total", "4", "A");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--index 4 is not within --total 4 shards (0 to 3)");
    }

    @Test
    void globListsMatchingFilesSorted() throws Exception {
        Path base = Path.of("target/glob-test");
        Files.createDirectories(base.resolve("a/b"));
        Files.writeString(base.resolve("a/b/FooTest.java"), "");
        Files.writeString(base.resolve("a/BarTest.java"), "");
        Files.writeString(base.resolve("a/Helper.java"), "");
        Files.writeString(base.resolve("TopTest.java"), "");
        var r = gantry("tests", "glob", "target/glob-test/**/*Test.java");
        assertThat(r.out()).isEqualTo("target/glob-test/TopTest.java\ntarget/glob-test/a/BarTest.java\n"
                + "target/glob-test/a/b/FooTest.java\n");
    }

    @Test
    void anInvalidGlobIsInvalidInput() {
        var r = gantry("tests", "glob", "tests/[a.py");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("gantry: invalid glob 'tests/[a.py': '[' at position 7 is never closed with ']'; "
                + "quote the pattern, and escape a literal '[', '{' or '*' with '\\'\n");
    }

    @Test
    void readsOneTestPerLineSoNamesMayContainSpaces() {
        var r = gantryWithInput("tests/test a.py\n  tests/test_b.py  \n\ntests/c d/test_e.py\n",
                "tests", "split", "--split-by", "name", "--index", "0", "--total", "1");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("tests/c d/test_e.py\ntests/test a.py\ntests/test_b.py\n");
    }

    @Test
    void shardNumbersThatAreNotNumbersOrAbsurdlyLargeAreInvalidInput() {
        var notANumber = gantryWithEnv(Map.of("GANTRY_NODE_INDEX", "two", "GANTRY_NODE_TOTAL", "4"),
                "tests", "split", "A");
        assertThat(notANumber.exitCode()).isEqualTo(2);
        assertThat(notANumber.err()).isEqualTo("gantry: GANTRY_NODE_INDEX is 'two', not a whole number\n");
        var option = gantry("tests", "split", "--index", "x", "--total", "2", "A");
        assertThat(option.exitCode()).isEqualTo(2);
        assertThat(option.err()).isEqualTo("gantry: --index is 'x', not a whole number\n");
        var huge = gantry("tests", "split", "--index", "0", "--total", "2000000000", "A");
        assertThat(huge.exitCode()).isEqualTo(2);
        assertThat(huge.err()).isEqualTo("gantry: --total is 2000000000: gantry splits into at most 10000 shards\n");
        var fromEnv = gantryWithEnv(Map.of("CIRCLE_NODE_INDEX", "0", "CIRCLE_NODE_TOTAL", "2000000000"),
                "tests", "split", "A");
        assertThat(fromEnv.err()).isEqualTo("gantry: CIRCLE_NODE_TOTAL is 2000000000: gantry splits into at most "
                + "10000 shards\n");
        var none = gantry("tests", "split", "--index", "0", "--total", "0", "A");
        assertThat(none.err()).isEqualTo("gantry: --total is 0: there must be at least 1 shard\n");
        assertThat(gantry("tests", "split", "--index", "9999", "--total", "10000", "A").exitCode()).isZero();
    }

    @Test
    void aTimingsFileThatDoesNotExistIsInvalidInput() {
        Path missing = dir.resolve("nope.json");
        var r = gantry("tests", "split", "--timings-file", missing.toString(), "--index", "0", "--total", "2", "A");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("gantry: --timings-file " + missing + " does not exist: check the path, or "
                + "leave the option out to use $GANTRY_TIMINGS_FILE\n");
    }

    @Test
    void anUnreadableTimingsFileIsInvalidInputOnOneLine() throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"CLASSNAME\": {\"A\": [1.0,");
        var r = gantry("tests", "split", "--timings-file", file.toString(), "--index", "0", "--total", "2", "A");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("gantry: cannot read the timings history " + file + ": ")
                .hasLineCount(1);
    }

    @Test
    void historyTimesThatAreNaNInfiniteOrNegativeAreIgnoredWithAWarning() throws Exception {
        Path file = dir.resolve("poisoned.json");
        Files.writeString(file, """
                {"CLASSNAME": {"A": [40.0, "NaN"], "B": [NaN], "C": [-990.0], "D": ["Infinity"], "E": [10.0]}}
                """);
        var r = gantry("tests", "split", "--timings-file", file.toString(), "--index", "0", "--total", "2",
                "--verbose", "A", "B", "C", "D", "E");
        assertThat(r.exitCode()).isZero();
        // B, C and D have no valid time: the mean of the known ones (25). Longest first: A 40 | B 25, C 25 | D 25 | E 10
        assertThat(r.err()).contains("gantry: ignored 4 times in " + file + " that are not a finite, non-negative "
                + "number of seconds", "shard 0: 2 tests, predicted 65.0s", "shard 1: 3 tests, predicted 60.0s")
                .doesNotContain("NaN", "-990");
    }
}
