package dev.gantry.cli;

import static dev.gantry.cli.CliFixture.gantry;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
        var r = gantry("tests", "glob", "target/glob-test/**/*Test.java");
        assertThat(r.out()).isEqualTo("target/glob-test/a/BarTest.java\ntarget/glob-test/a/b/FooTest.java\n");
    }
}
