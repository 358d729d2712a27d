package dev.gantry.engine.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.run.TaskState;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspacesTest {

    @TempDir
    Path dir;

    @Test
    void jobsReceiveWhatTheJobsTheyNeedPersistedLayeredInDagOrder() {
        var r = new BuildFixture(dir).run("""
                jobs:
                  build:
                    steps:
                      - run: mkdir -p target && echo v1 > target/app.jar && echo from-build > target/notes.txt
                      - persist: {root: target, paths: [app.jar, notes.txt]}
                  package:
                    needs: [build]
                    steps:
                      - attach: {at: target}
                      - run: echo v2 > target/app.jar
                      - persist: {root: target, paths: [app.jar]}
                  shards:
                    needs: [build]
                    parallelism: 2
                    steps:
                      - run: echo "$GANTRY_NODE_INDEX" > "shard-$GANTRY_NODE_INDEX.txt"
                      - persist: shard-*.txt
                  deploy:
                    needs: [package, shards]
                    steps:
                      - attach: target
                      - run: cat target/app.jar target/notes.txt target/shard-0.txt target/shard-1.txt
                """);
        assertThat(r.result().state()).as(r.task("deploy").reason()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(r.output("deploy")).containsExactly("attached 4 files at target", "v2", "from-build", "0", "1");
        assertThat(dir.resolve(".gantry/builds/1/workspace")).as("the workspace is removed after the build")
                .doesNotExist();
    }

    @Test
    void concurrentJobsPersistingTheSamePathIsAClearError() {
        var r = new BuildFixture(dir).run("""
                jobs:
                  left:
                    steps: [{run: echo left > out.txt}, {persist: out.txt}]
                  right:
                    steps: [{run: echo right > out.txt}, {persist: out.txt}]
                  join:
                    needs: [left, right]
                    steps: [{attach: .}, {run: cat out.txt}]
                """);
        assertThat(r.task("join").state()).isEqualTo(TaskState.FAILED);
        assertThat(r.task("join").reason()).isEqualTo("'out.txt' was persisted by both left and right, which ran "
                + "concurrently: persist it from one of them, or make one need the other");
    }

    @Test
    void persistingNothingFails() {
        var r = new BuildFixture(dir).run("""
                jobs:
                  build:
                    steps: [{persist: target/*.jar}]
                """);
        assertThat(r.task("build").state()).isEqualTo(TaskState.FAILED);
        assertThat(r.task("build").reason()).isEqualTo("nothing to persist: no file matched target/*.jar");
    }

    @Test
    void persistingWithADoubleStarGlobAlsoTakesFilesDirectlyInItsDirectory() {
        var r = new BuildFixture(dir).run("""
                jobs:
                  build:
                    steps:
                      - run: mkdir -p dist/lib && echo top > dist/app.jar && echo lib > dist/lib/dep.jar
                      - persist: "dist/**/*.jar"
                  use:
                    needs: [build]
                    steps:
                      - attach: .
                      - run: cat dist/app.jar dist/lib/dep.jar
                """);
        assertThat(r.result().state()).as(r.task("use").reason()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(r.output("use")).containsExactly("attached 2 files at .", "top", "lib");
    }
}
