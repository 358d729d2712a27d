package dev.gantry.engine.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.process.LeftoverProcesses;
import dev.gantry.engine.run.TaskState;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failure skips its dependents while the rest of the DAG goes on; fail-fast stops everything. */
class DagTest {

    @TempDir
    Path dir;

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
        long start = System.nanoTime();
        var r = new BuildFixture(dir).concurrency(4).failFast().run("""
                defaults: {grace_period: 2s}
                jobs:
                  stubborn:
                    parallelism: 3
                    steps: [{run: "trap '' TERM; sleep 3161"}]
                  breaks:
                    steps: [{run: sleep 0.5 && exit 1}]
                """);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(r.task("stubborn[0]").state()).isEqualTo(TaskState.CANCELLED);
        assertThat(r.task("stubborn[2]").state()).isEqualTo(TaskState.CANCELLED);
        assertThat(seconds).as("three 2 s grace periods ran side by side").isLessThan(5.5);
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
