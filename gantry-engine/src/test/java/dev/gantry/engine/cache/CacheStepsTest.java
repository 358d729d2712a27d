package dev.gantry.engine.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.scheduler.EngineSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheStepsTest {

    @TempDir
    Path dir;

    @TempDir
    Path caches;

    private BuildFixture fixture() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("GANTRY_CACHE_DIR", caches.toString());
        return new BuildFixture(dir).settings(new EngineSettings(2, false, env, Clock.systemUTC()));
    }

    private static final String PIPELINE = """
            jobs:
              deps:
                steps:
                  - restore_cache:
                      keys:
                        - deps-v1-{{ checksum "requirements.txt" }}
                        - deps-v1-
                  - run: |
                      if [ -f venv/installed ]; then echo "cached: $(cat venv/installed)"
                      else mkdir -p venv; cat requirements.txt > venv/installed; echo installed; fi
                  - save_cache:
                      key: deps-v1-{{ checksum "requirements.txt" }}
                      paths: [venv]
            """;

    @Test
    void secondBuildRestoresByChecksumAndTheKeyIsNotSavedTwice() throws Exception {
        Files.writeString(dir.resolve("requirements.txt"), "torch==2.3\n");
        var first = fixture().run(PIPELINE);
        assertThat(first.task("deps").state()).as(first.task("deps").reason()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(first.output("deps")).anySatisfy(l -> assertThat(l).startsWith("no cache found for deps-v1-"))
                .contains("installed").anySatisfy(l -> assertThat(l).startsWith("saved cache deps-v1-"));
        var second = fixture().run(PIPELINE);
        assertThat(second.output("deps")).anySatisfy(l -> assertThat(l).startsWith("restored cache deps-v1-")
                .doesNotContain("prefix")).contains("cached: torch==2.3")
                .anySatisfy(l -> assertThat(l).endsWith("exists; not saved again (keys are immutable)"));
    }

    @Test
    void aChangedChecksumFallsBackToTheNewestCacheWithThePrefix() throws Exception {
        Files.writeString(dir.resolve("requirements.txt"), "torch==2.3\n");
        fixture().run(PIPELINE);
        Files.writeString(dir.resolve("requirements.txt"), "torch==2.4\n");
        var r = fixture().run(PIPELINE);
        assertThat(r.output("deps")).anySatisfy(l -> assertThat(l).startsWith("restored cache deps-v1-")
                .contains("(prefix deps-v1-)")).contains("cached: torch==2.3")
                .anySatisfy(l -> assertThat(l).startsWith("saved cache deps-v1-"));
        assertThat(new LocalCacheStore(caches).newestWithPrefix("pipeline/"))
                .hasValueSatisfying(k -> assertThat(k).contains("/deps-v1-"));
    }

    private static final String VENV = """
            jobs:
              deps:
                steps:
                  - restore_cache: {key: venv-v1}
                  - run: |
                      if [ -d venv ]; then echo "restored venv"; else
                        mkdir -p venv/bin venv/lib/python3/site-packages
                        ln -s /usr/bin/python3 venv/bin/python3
                        ln -s python3 venv/bin/python
                        ln -s lib venv/lib64
                        echo 'x = 1' > venv/lib/python3/site-packages/mod.py
                        echo "created venv"
                      fi
                  - run: |
                      for l in venv/bin/python3 venv/bin/python venv/lib64; do [ -L $l ] && echo "link $l -> $(readlink $l)"; done
                      cat venv/lib64/python3/site-packages/mod.py
                      if [ -x /usr/bin/python3 ]; then venv/bin/python -c 'print("python says", 1)'
                      else echo "no /usr/bin/python3 here: not run"; fi
                  - save_cache: {key: venv-v1, paths: [venv]}
            """;

    @Test
    void aVirtualenvWithAbsoluteAndRelativeLinksIsSavedAndRestoredAsLinks() throws Exception {
        var first = fixture().run(VENV);
        assertThat(first.task("deps").state()).as(first.task("deps").reason()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(first.output("deps")).contains("created venv")
                .anySatisfy(l -> assertThat(l).startsWith("saved cache venv-v1"));

        var second = fixture().run(VENV);

        assertThat(second.task("deps").state()).as(second.task("deps").reason()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(second.output("deps")).contains("restored venv")
                .anySatisfy(l -> assertThat(l).startsWith("restored cache venv-v1: 1 files"));
        assertThat(second.output("deps")).containsSubsequence("link venv/bin/python3 -> /usr/bin/python3",
                "link venv/bin/python -> python3", "link venv/lib64 -> lib", "x = 1");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")),
                "no /usr/bin/python3 on this machine: the restored interpreter link is not run");
        assertThat(second.output("deps")).contains("python says 1");
    }

    @Test
    void aSaveThatFindsNothingSavesNothingAndSaysSo() throws Exception {
        String pipeline = """
                jobs:
                  deps:
                    steps:
                      - restore_cache: {key: empty-v1}
                      - save_cache: {key: empty-v1, paths: [venv, ~/.cache/gantry-test-absent]}
                """;
        var first = fixture().run(pipeline);
        assertThat(first.task("deps").state()).as(first.task("deps").reason()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(first.output("deps")).contains(
                "nothing to save: none of venv, ~/.cache/gantry-test-absent exists; cache empty-v1 not saved");
        assertThat(new LocalCacheStore(caches).newestWithPrefix("")).as("no archive sealed under any key").isEmpty();
        var second = fixture().run(pipeline);
        assertThat(second.output("deps")).anySatisfy(l -> assertThat(l).startsWith("no cache found for empty-v1"));
    }

    private static String saver(String pipeline, String shared) {
        return """
                name: %s
                jobs:
                  deps:
                    steps:
                      - run: mkdir -p deps && echo "from %s" > deps/origin
                      - save_cache: {key: deps-x, paths: [deps], shared: %s}
                """.formatted(pipeline, pipeline, shared);
    }

    private static String restorer(String pipeline, String shared) {
        return """
                name: %s
                jobs:
                  deps:
                    steps:
                      - restore_cache: {keys: [deps-], shared: %s}
                      - run: cat deps/origin 2>/dev/null || echo "nothing restored"
                """.formatted(pipeline, shared);
    }

    @Test
    void aPipelineDoesNotRestoreAnotherPipelinesCache() throws Exception {
        var saved = fixture().run(saver("repo-a", "false"));
        assertThat(saved.output("deps")).anySatisfy(l -> assertThat(l).startsWith("saved cache deps-x"));

        var other = fixture().run(restorer("repo-b", "false"));
        assertThat(other.output("deps")).anySatisfy(l -> assertThat(l).startsWith("no cache found for deps-"))
                .contains("nothing restored");
        var sharedOnly = fixture().run(restorer("repo-b", "true"));
        assertThat(sharedOnly.output("deps")).contains("nothing restored");

        var same = fixture().run(restorer("repo-a", "false"));
        assertThat(same.output("deps")).anySatisfy(l -> assertThat(l).startsWith("restored cache deps-x (prefix deps-)"))
                .contains("from repo-a");
    }

    @Test
    void aCacheSavedAsSharedIsRestoredByAnyPipelineThatAsksForSharedCaches() throws Exception {
        var saved = fixture().run(saver("repo-a", "true"));
        assertThat(saved.output("deps")).anySatisfy(l -> assertThat(l).startsWith("saved shared cache deps-x"));

        var shared = fixture().run(restorer("repo-b", "true"));
        assertThat(shared.output("deps")).anySatisfy(l -> assertThat(l)
                .startsWith("restored shared cache deps-x (prefix deps-)")).contains("from repo-a");
        var own = fixture().run(restorer("repo-b", "false"));
        assertThat(own.output("deps")).as("a shared cache is not the pipeline's own").contains("nothing restored");
    }

    @Test
    void aHostileArchiveInTheStoreErrorsTheStepAndChangesNothing() throws Exception {
        Files.writeString(dir.resolve("inside.txt"), "inside, untouched");
        Files.writeString(dir.resolve("sentinel.txt"), "outside, untouched");
        CacheNamespace.pipeline("victim").view(new LocalCacheStore(caches))
                .save("deps-evil", out -> out.write(CacheArchiveTest.chainingArchive()));

        var r = fixture().run("""
                name: victim
                jobs:
                  deps:
                    steps:
                      - restore_cache: {keys: [deps-]}
                      - run: echo "ran after the restore"
                """);

        assertThat(r.task("deps").state()).isEqualTo(TaskState.ERRORED);
        assertThat(r.task("deps").reason()).contains("cache deps-evil holds 'w/a/b' beneath the link 'w/a'")
                .contains("restore refused");
        assertThat(r.output("deps")).doesNotContain("ran after the restore");
        assertThat(dir.resolve("sentinel.txt")).hasContent("outside, untouched");
        assertThat(dir.resolve("inside.txt")).hasContent("inside, untouched");
        try (var all = Files.walk(dir)) {
            assertThat(all.filter(p -> p.endsWith("planted") || Files.isSymbolicLink(p)).toList()).isEmpty();
        }
    }
}
