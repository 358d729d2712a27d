package dev.gantry.engine.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.process.LeftoverProcesses;
import dev.gantry.engine.run.TaskRun;
import dev.gantry.engine.run.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
        // each stubborn shard notes when SIGTERM reached it and goes on until it is killed: stopped side by side,
        // every shard is asked to stop before any of them is killed (one after another, the second would be asked
        // only after the first was killed)
        var r = new BuildFixture(dir).concurrency(4).failFast().run("""
                env: {SHARED: "%s"}
                defaults: {grace_period: 3s}
                jobs:
                  stubborn:
                    parallelism: 3
                    steps:
                      - run: |
                          trap 'date +%%s%%N > "$SHARED/$GANTRY_NODE_INDEX"' TERM
                          echo ready > "$SHARED/ready-$GANTRY_NODE_INDEX"
                          while true; do sleep 3161 & wait; done
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
        Instant firstKilled = stubborn.stream().map(TaskRun::finishedAt).min(Instant::compareTo).orElseThrow();
        for (int i = 0; i < 3; i++) {
            long nanos = Long.parseLong(Files.readString(shared.resolve(String.valueOf(i))).trim());
            Instant asked = Instant.ofEpochSecond(0, nanos);
            assertThat(asked).as("stubborn[%d] was asked to stop before the first shard was killed", i)
                    .isBefore(firstKilled);
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
