package dev.gantry.engine.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.process.LeftoverProcesses;
import dev.gantry.engine.run.TaskState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CancellationTest {

    @TempDir
    Path dir;

    @Test
    void cancellingABuildStopsRunningTasksCancelsQueuedOnesAndRunsEnsure() throws Exception {
        BuildFixture fixture = new BuildFixture(dir).concurrency(1);
        CompletableFuture<BuildFixture.Result> run = CompletableFuture.supplyAsync(() -> fixture.run("""
                defaults: {grace_period: 2s}
                jobs:
                  serve:
                    steps:
                      - run: echo serving; ( setsid sleep 3139 & ); sleep 3140
                    ensure: [{run: echo cleaned up}]
                  later:
                    steps: [{run: echo never}]
                """));
        await().atMost(Duration.ofSeconds(20)).until(() -> fixture.events().stream()
                .anyMatch(e -> e instanceof BuildEvent.LogLine l && l.line().equals("serving")));
        fixture.cancellation().cancel(Cancellation.Reason.CANCELLED, "cancelled by SIGINT");
        BuildFixture.Result r = run.get();

        assertThat(r.result().state()).isEqualTo(TaskState.CANCELLED);
        assertThat(r.task("serve").state()).isEqualTo(TaskState.CANCELLED);
        assertThat(r.task("serve").reason()).isEqualTo("cancelled by SIGINT");
        assertThat(r.output("serve")).containsExactly("serving", "cleaned up");
        assertThat(r.task("later").state()).isEqualTo(TaskState.CANCELLED);
        assertThat(r.output("later")).isEmpty();
        assertThat(LeftoverProcesses.matching("sleep 3139")).isEmpty();
        assertThat(LeftoverProcesses.matching("sleep 3140")).isEmpty();
    }
}
