package dev.gantry.engine.cache;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(new LocalCacheStore(caches).newestWithPrefix("deps-v1-")).isPresent();
    }
}
