package dev.gantry.engine.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.process.LeftoverProcesses;
import dev.gantry.engine.run.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Timeouts and task ends stop whole process trees, including processes that escaped into a new session. */
class ProcessControlTest {

    @TempDir
    Path dir;

    @Test
    void timeoutKillsADoubleForkedSetsidSleep() throws Exception {
        var r = new BuildFixture(dir).run("""
                defaults: {grace_period: 1s}
                jobs:
                  hang:
                    timeout: 1s
                    steps:
                      - run: |
                          ( setsid sleep 3131 & )
                          sleep 3132
                """);
        assertThat(r.task("hang").state()).isEqualTo(TaskState.TIMED_OUT);
        assertThat(r.task("hang").reason()).isEqualTo("job hang timed out after 1.00s");
        assertThat(LeftoverProcesses.matching("sleep 3131")).isEmpty();
        assertThat(LeftoverProcesses.matching("sleep 3132")).isEmpty();
    }

    @Test
    void stepTimeoutSendsSigtermFirstAndWaitsForAGracefulExit() throws Exception {
        Path flag = dir.resolve("got-term");
        var r = new BuildFixture(dir).run("""
                defaults: {grace_period: 5s}
                jobs:
                  graceful:
                    steps:
                      - run:
                          name: serve
                          timeout: 3s  # long enough for bash to set its trap on a busy machine
                          command: |
                            trap 'echo stopping; touch %s; exit 0' TERM
                            sleep 3133 & wait
                """.formatted(flag));
        assertThat(r.task("graceful").state()).isEqualTo(TaskState.TIMED_OUT);
        assertThat(r.task("graceful").reason()).isEqualTo("step 'serve' timed out after 3.00s");
        assertThat(r.output("graceful")).containsExactly("stopping");
        assertThat(Files.exists(flag)).as("the step saw SIGTERM and cleaned up").isTrue();
        assertThat(LeftoverProcesses.matching("sleep 3133")).isEmpty();
    }

    @Test
    void processThatIgnoresSigtermIsKilledAfterTheGracePeriod() throws Exception {
        long start = System.nanoTime();
        var r = new BuildFixture(dir).run("""
                defaults: {grace_period: 1s}
                jobs:
                  stubborn:
                    timeout: 500ms
                    steps:
                      - run: |
                          trap '' TERM
                          sleep 3134
                """);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(r.task("stubborn").state()).isEqualTo(TaskState.TIMED_OUT);
        assertThat(seconds).as("killed after the 1s grace period, not after sleep's 52 minutes").isLessThan(30);
        assertThat(LeftoverProcesses.matching("sleep 3134")).isEmpty();
    }

    @Test
    void backgroundProcessesDieWithTheirTaskEvenWhenTheTaskSucceeds() throws Exception {
        var r = new BuildFixture(dir).run("""
                jobs:
                  daemon:
                    steps:
                      - run: nohup sleep 3135 >/dev/null 2>&1 &
                      - run: ( setsid sleep 3136 >/dev/null 2>&1 & )
                      - run: echo steps are over
                """);
        assertThat(r.task("daemon").state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(LeftoverProcesses.matching("sleep 3135")).isEmpty();
        assertThat(LeftoverProcesses.matching("sleep 3136")).isEmpty();
    }

    @Test
    void noOutputTimeoutStopsASilentStep() throws Exception {
        var r = new BuildFixture(dir).run("""
                jobs:
                  silent:
                    steps:
                      - run:
                          no_output_timeout: 500ms
                          command: |
                            echo one; sleep 0.2; echo two; sleep 0.2; echo three
                            sleep 3137
                """);
        assertThat(r.task("silent").state()).isEqualTo(TaskState.TIMED_OUT);
        assertThat(r.task("silent").reason()).isEqualTo("no output for 0.50s");
        assertThat(r.output("silent")).containsExactly("one", "two", "three");
        assertThat(LeftoverProcesses.matching("sleep 3137")).isEmpty();
    }
}
