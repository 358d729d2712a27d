package dev.gantry.engine.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.process.LeftoverProcesses;
import dev.gantry.engine.run.TaskRun;
import dev.gantry.engine.run.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failure skips its dependents while the rest of the DAG goes on; fail-fast stops everything. */
class DagTest {

    @TempDir
    Path dir;

    @TempDir
    Path shared;

    private static final String PIPELINE = """
            jobs:
              build:
                steps: [{run: echo build}]
              test:
                needs: [build]
                steps: [{run: exit 4}]
              report:
                needs: [test]
                steps: [{run: echo report}]
              publish:
                needs: [report]
                steps: [{run: echo publish}]
              docs:
                needs: [build]
                steps: [{run: sleep 1.5 && echo docs done}]
            """;

    @Test
    void failureSkipsDependentsTransitivelyWhileOtherBranchesFinish() {
        var r = new BuildFixture(dir).run(PIPELINE);
        assertThat(r.result().state()).isEqualTo(TaskState.FAILED);
        assertThat(r.task("build").state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(r.task("test").state()).isEqualTo(TaskState.FAILED);
        assertThat(r.task("test").reason()).isEqualTo("exit code 4");
        assertThat(r.task("report").state()).isEqualTo(TaskState.SKIPPED);
        assertThat(r.task("report").reason()).isEqualTo("needs test, which failed");
        assertThat(r.task("publish").state()).isEqualTo(TaskState.SKIPPED);
        assertThat(r.task("publish").reason()).isEqualTo("needs report, which was skipped");
        assertThat(r.task("docs").state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(r.output("docs")).containsExactly("docs done");
    }

    @Test
    void failFastCancelsRunningAndQueuedTasks() throws Exception {
        var r = new BuildFixture(dir).failFast().run(PIPELINE.replace("sleep 1.5", "sleep 3138"));
        assertThat(r.result().state()).isEqualTo(TaskState.FAILED);
        assertThat(r.task("test").state()).isEqualTo(TaskState.FAILED);
        assertThat(r.task("docs").state()).isEqualTo(TaskState.CANCELLED);
        assertThat(r.task("docs").reason()).isEqualTo("fail-fast: test failed");
        assertThat(r.task("report").state()).isIn(TaskState.SKIPPED, TaskState.CANCELLED);
        assertThat(LeftoverProcesses.matching("sleep 3138")).isEmpty();
    }

    @Test
    void failFastStopsEveryRunningTaskAtOnceNotOneGracePeriodAfterAnother() throws Exception {
        // each stubborn shard, when SIGTERM first reaches it, notes which shards are still alive, then goes on until
        // it is killed: stopped side by side, every shard sees all three alive (one after another, the second would
        // be asked only after the first had been killed, and would see it dead)
        var r = new BuildFixture(dir).concurrency(4).failFast().run("""
                env: {SHARED: "%s"}
                defaults: {grace_period: 5s}
                jobs:
                  stubborn:
                    parallelism: 3
                    steps:
                      - run: |
                          me="$SHARED/$GANTRY_NODE_INDEX"
                          echo $$ > "$SHARED/pid-$GANTRY_NODE_INDEX"
                          alive() { [ -r "/proc/$1/stat" ] && ! grep -q ') Z ' "/proc/$1/stat"; }
                          noted() {
                            for j in 0 1 2; do
                              if alive "$(cat "$SHARED/pid-$j")"; then echo "alive $j"; else echo "dead $j"; fi
                            done > "$me.tmp" && mv "$me.tmp" "$me"
                          }
                          trap '[ -e "$me" ] || [ -e "$me.tmp" ] || noted' TERM
                          echo ready > "$SHARED/ready-$GANTRY_NODE_INDEX"
                          # steps run under bash -e: a wait cut short by the trap must not end the shard
                          while true; do sleep 3161 & wait || true; done
                  breaks:
                    steps:
                      - run: |
                          until [ -e "$SHARED/ready-0" ] && [ -e "$SHARED/ready-1" ] && [ -e "$SHARED/ready-2" ]; do
                            sleep 0.05
                          done
                          exit 1
                """.formatted(shared));
        List<TaskRun> stubborn = List.of(r.task("stubborn[0]"), r.task("stubborn[1]"), r.task("stubborn[2]"));
        assertThat(stubborn).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.CANCELLED));
        for (int i = 0; i < 3; i++) {
            assertThat(Files.readAllLines(shared.resolve(String.valueOf(i))))
                    .as("the shards stubborn[%d] saw alive when it was first asked to stop", i)
                    .containsExactly("alive 0", "alive 1", "alive 2");
        }
        assertThat(LeftoverProcesses.matching("sleep 3161")).isEmpty();
    }

    @Test
    void jobsRunOnlyAfterEverythingTheyNeedSucceeded() {
        var r = new BuildFixture(dir).concurrency(4).run("""
                jobs:
                  a: {steps: [{run: sleep 0.3}]}
                  b: {needs: [a], parallelism: 2, steps: [{run: sleep 0.1}]}
                  c: {needs: [b], steps: [{run: echo c}]}
                """);
        assertThat(r.result().state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(r.task("b[0]").startedAt()).isAfterOrEqualTo(r.task("a").finishedAt());
        assertThat(r.task("b[1]").startedAt()).isAfterOrEqualTo(r.task("a").finishedAt());
        assertThat(r.task("c").startedAt()).isAfterOrEqualTo(r.task("b[0]").finishedAt())
                .isAfterOrEqualTo(r.task("b[1]").finishedAt());
    }

    @Test
    void whenFilteredJobIsSkippedWithItsReasonAndTheBuildStillSucceeds() {
        var r = new BuildFixture(dir).run("""
                jobs:
                  test: {steps: [{run: echo test}]}
                  deploy:
                    needs: [test]
                    when: {tags: ["v*"]}
                    steps: [{run: echo deploying}]
                """);
        assertThat(r.result().state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(r.task("deploy").state()).isEqualTo(TaskState.SKIPPED);
        assertThat(r.task("deploy").reason()).isEqualTo("when: no tag points at this commit");
    }
}
