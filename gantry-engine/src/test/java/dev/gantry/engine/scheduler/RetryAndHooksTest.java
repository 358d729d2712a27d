package dev.gantry.engine.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.run.TaskState;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetryAndHooksTest {

    @TempDir
    Path dir;

    @Test
    void retryRerunsTheWholeTaskFromAFreshWorkingCopy() {
        var r = new BuildFixture(dir).run("""
                jobs:
                  flaky:
                    retry: 3
                    steps:
                      - run: echo "attempt $GANTRY_ATTEMPT" >> state.txt && wc -l < state.txt
                      - run: test "$GANTRY_ATTEMPT" -ge 3
                """);
        assertThat(r.task("flaky").state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(r.task("flaky").attempts()).isEqualTo(3);
        assertThat(r.output("flaky")).as("each attempt starts without the last one's file").containsExactly("1", "1", "1");
    }

    @Test
    void retriesOnlyTheListedExitCodes() {
        var r = new BuildFixture(dir).run("""
                jobs:
                  broken:
                    retry: {attempts: 3, on_exit_codes: [75]}
                    steps: [{run: exit 2}]
                  transient:
                    retry: {attempts: 3, on_exit_codes: [75]}
                    steps: [{run: exit 75}]
                """);
        assertThat(r.task("broken").attempts()).isEqualTo(1);
        assertThat(r.task("broken").state()).isEqualTo(TaskState.FAILED);
        assertThat(r.task("transient").attempts()).isEqualTo(3);
        assertThat(r.task("transient").reason()).isEqualTo("exit code 75");
    }

    @Test
    void timeoutsAreRetriedUnlessToldNot() {
        var r = new BuildFixture(dir).run("""
                defaults: {grace_period: 1s}
                jobs:
                  slow:
                    timeout: 300ms
                    retry: {attempts: 2}
                    steps: [{run: sleep 5}]
                  slow-no-retry:
                    timeout: 300ms
                    retry: {attempts: 2, on_timeout: false}
                    steps: [{run: sleep 5}]
                """);
        assertThat(r.task("slow").state()).isEqualTo(TaskState.TIMED_OUT);
        assertThat(r.task("slow").attempts()).isEqualTo(2);
        assertThat(r.task("slow-no-retry").attempts()).isEqualTo(1);
    }

    @Test
    void onFailureAndEnsureRunAfterAFailureInThatOrder() {
        var r = new BuildFixture(dir).run("""
                jobs:
                  job:
                    steps:
                      - run: echo main; exit 1
                      - run: echo never
                    on_success: [{run: echo success-hook}]
                    on_failure: [{run: echo failure-hook}]
                    ensure: [{run: echo ensure-hook}]
                """);
        assertThat(r.task("job").state()).isEqualTo(TaskState.FAILED);
        assertThat(r.output("job")).containsExactly("main", "failure-hook", "ensure-hook");
        assertThat(r.steps("job")).containsExactly("echo main; exit 1", "on_failure: echo failure-hook",
                "ensure: echo ensure-hook");
    }

    @Test
    void onSuccessRunsOnceAfterTheLastAttemptAndItsFailureFailsTheTask() {
        var r = new BuildFixture(dir).run("""
                jobs:
                  job:
                    retry: 2
                    steps: [{run: test "$GANTRY_ATTEMPT" = 2 && echo "passed on $GANTRY_ATTEMPT"}]
                    on_success: [{run: echo success-hook; exit 9}]
                    on_failure: [{run: echo failure-hook}]
                    ensure: [{run: echo ensure-hook}]
                """);
        assertThat(r.output("job")).containsExactly("passed on 2", "success-hook", "ensure-hook");
        assertThat(r.task("job").state()).isEqualTo(TaskState.FAILED);
        assertThat(r.task("job").reason()).isEqualTo("on_success hook failed: exit code 9");
    }

    @Test
    void theFailedAttemptsReportsAreReadBeforeTheRetrySoAFlakyTestIsKnown() {
        var r = new BuildFixture(dir).run("""
                jobs:
                  job:
                    retry: 2
                    steps:
                      - run: |
                          mkdir -p reports
                          if [ "$GANTRY_ATTEMPT" = 1 ]; then result='<failure message="timeout"/>'; else result=''; fi
                          echo "<testsuite name=\\"n\\"><testcase classname=\\"b.Net\\" name=\\"connects\\" time=\\"0.2\\">$result</testcase></testsuite>" > reports/TEST-n.xml
                          test "$GANTRY_ATTEMPT" = 2
                    ensure: [{test_results: reports/*.xml}, {run: echo ensure-hook}]
                """);
        assertThat(r.task("job").state()).as("%s %s", r.output("job"), r.task("job").reason())
                .isEqualTo(TaskState.SUCCEEDED);
        List<String> statuses = r.events().stream()
                .filter(e -> e instanceof dev.gantry.engine.event.BuildEvent.TestResultsRecorded)
                .flatMap(e -> ((dev.gantry.engine.event.BuildEvent.TestResultsRecorded) e).tests().stream())
                .map(t -> t.status().name()).toList();
        assertThat(statuses).as("the failed attempt's, then the passing one's").containsExactly("FAILED", "PASSED");
        assertThat(r.steps("job")).contains("before retrying: test results reports/*.xml", "ensure: echo ensure-hook")
                .doesNotContain("before retrying: echo ensure-hook");
        assertThat(r.output("job")).containsOnlyOnce("ensure-hook");
    }

    @Test
    void failingEnsureFailsAnOtherwiseSuccessfulTask() {
        var r = new BuildFixture(dir).run("""
                jobs:
                  job:
                    steps: [{run: "true"}]
                    ensure: [{run: exit 3}]
                """);
        assertThat(r.task("job").state()).isEqualTo(TaskState.FAILED);
        assertThat(r.task("job").reason()).isEqualTo("ensure hook failed: exit code 3");
    }
}
