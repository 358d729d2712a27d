package dev.gantry.engine.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.process.LeftoverProcesses;
import dev.gantry.engine.run.TaskState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listener that throws must not hang a build or leave its processes running: the build still ends, every task
 * with its true state, and the events still reach the other listeners.
 */
class ListenerFailureTest {

    @TempDir
    Path dir;

    private static final String PIPELINE = """
            jobs:
              first:
                steps: [{run: "sleep 3203 & echo started; wait"}]
              second:
                needs: [first]
                steps: [{run: echo second}]
              broken:
                steps: [{run: exit 3}]
            """;

    @ParameterizedTest
    @ValueSource(classes = {BuildEvent.TaskStarted.class, BuildEvent.TaskFinished.class, BuildEvent.LogLine.class})
    void aListenerThatThrowsNeitherHangsNorOrphansTheBuild(Class<? extends BuildEvent> failOn) throws Exception {
        BuildFixture fixture = new BuildFixture(dir).concurrency(2).listener(e -> {
            if (failOn.isInstance(e)) {
                throw new IllegalStateException("listener broke on " + e);
            }
        });
        // a hang guard only: the build normally ends in well under a second
        var r = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> fixture.run(PIPELINE.replace("sleep 3203",
                "sleep 0.2")));
        assertThat(r.task("first").state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(r.task("second").state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(r.task("broken").state()).isEqualTo(TaskState.FAILED);
        assertThat(r.result().state()).isEqualTo(TaskState.FAILED);
        assertThat(r.output("second")).containsExactly("second");
        List<String> finished = r.events().stream().filter(e -> e instanceof BuildEvent.TaskFinished)
                .map(e -> ((BuildEvent.TaskFinished) e).task()).toList();
        assertThat(finished).containsExactlyInAnyOrder("first", "second", "broken");
        assertThat(r.events().get(r.events().size() - 1)).isInstanceOf(BuildEvent.BuildFinished.class);
    }

    @ParameterizedTest
    @ValueSource(classes = {BuildEvent.TaskStarted.class, BuildEvent.LogLine.class})
    void aListenerThatThrowsLeavesNoProcessRunningWhenTheBuildIsCancelled(Class<? extends BuildEvent> failOn)
            throws Exception {
        BuildFixture fixture = new BuildFixture(dir).concurrency(2);
        fixture.listener(e -> {
            if (e instanceof BuildEvent.LogLine l && l.line().equals("started")) {
                fixture.cancellation().cancel(dev.gantry.engine.cancel.Cancellation.Reason.CANCELLED, "test");
            }
            if (failOn.isInstance(e)) {
                throw new IllegalStateException("listener broke on " + e);
            }
        });
        var r = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> fixture.run(PIPELINE));
        assertThat(r.task("first").state()).isEqualTo(TaskState.CANCELLED);
        assertThat(r.task("second").state()).isEqualTo(TaskState.CANCELLED);
        assertThat(LeftoverProcesses.matching("sleep 3203")).isEmpty();
    }
}
