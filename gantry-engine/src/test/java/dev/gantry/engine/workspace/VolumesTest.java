package dev.gantry.engine.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.scheduler.EngineSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumesTest {

    @TempDir
    Path dir;

    @TempDir
    Path volumes;

    @TempDir
    Path shared;

    private BuildFixture fixture() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("GANTRY_VOLUMES_DIR", volumes.toString());
        return new BuildFixture(dir).settings(new EngineSettings(4, false, env, Clock.systemUTC()));
    }

    @Test
    void aVolumeOutlivesBuildsWithoutBeingCopied() throws Exception {
        String yaml = """
                jobs:
                  e2e:
                    volumes:
                      models: {path: cache/models}
                    steps:
                      - run: test -f cache/models/weights.bin && echo "cached $(cat cache/models/weights.bin)" || { echo 42 > cache/models/weights.bin; echo downloaded; }
                """;
        var first = fixture().run(yaml);
        assertThat(first.task("e2e").state()).as(first.task("e2e").reason()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(first.output("e2e")).contains("mounted volume models at cache/models", "downloaded");
        var second = fixture().run(yaml);
        assertThat(second.output("e2e")).contains("cached 42");
        assertThat(volumes.resolve("models/weights.bin")).hasContent("42");
        assertThat(dir.resolve("cache")).as("the source tree is untouched").doesNotExist();
    }

    private List<long[]> stays() throws Exception {
        List<long[]> out = new java.util.ArrayList<>();
        for (Path f : Files.list(shared).toList()) {
            String[] p = Files.readString(f).trim().split(" ");
            out.add(new long[] {Long.parseLong(p[0]), Long.parseLong(p[1])});
        }
        return out;
    }

    private static boolean anyOverlap(List<long[]> stays) {
        for (long[] a : stays) {
            for (long[] b : stays) {
                if (a != b && a[0] < b[1] && b[0] < a[1]) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void writersNeverOverlapWhileReadersShare() throws Exception {
        String yaml = """
                env: {SHARED: "%s"}
                jobs:
                  fill:
                    parallelism: 3
                    volumes:
                      models: {read_only: %s}
                    steps:
                      - run: |
                          start=$(date +%%s%%N); sleep 0.4; end=$(date +%%s%%N)
                          echo "$start $end" > "$SHARED/$GANTRY_NODE_INDEX"
                """;
        var writers = fixture().run(yaml.formatted(shared, "false"));
        assertThat(writers.result().state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(anyOverlap(stays())).as("two writers held the volume at once").isFalse();
        for (Path f : Files.list(shared).toList()) {
            Files.delete(f);
        }
        var readers = fixture().run(yaml.formatted(shared, "true"));
        assertThat(readers.result().state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(anyOverlap(stays())).as("readers share the volume").isTrue();
    }
}
