package dev.gantry.engine.serial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.pipeline.JobDef;
import dev.gantry.core.pipeline.Limits;
import dev.gantry.core.pipeline.MatrixDef;
import dev.gantry.core.pipeline.RetryPolicy;
import dev.gantry.core.pipeline.Serial;
import dev.gantry.core.pipeline.WhenDef;
import dev.gantry.engine.event.BuildInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerialGatesTest {

    private final SerialGates gates = new SerialGates();

    private static BuildInfo build(long n) {
        return new BuildInfo(n, "b" + n, "p", "gantry.yml", "d", null, "poll", Path.of("x"), Path.of("y"));
    }

    private static JobDef job(String name, Serial serial) {
        return new JobDef(name, null, List.of(), List.of(), Map.of(), null, RetryPolicy.NONE, 1, MatrixDef.NONE,
                WhenDef.ALWAYS, Map.of(), Limits.NONE, List.of(), List.of(), serial, List.of(), List.of(), List.of(), null);
    }

    @Test
    void aSerialJobAdmitsOneBuildAtATimeAndWakesTheWaiterWhenItEnds() {
        JobDef deploy = job("deploy", new Serial(List.of("deploy"), 1));
        AtomicInteger woken = new AtomicInteger();
        Optional<JobGate.Pass> first = gates.tryEnter(build(1), deploy, () -> { });
        assertThat(first).isPresent();
        assertThat(gates.tryEnter(build(2), deploy, woken::incrementAndGet)).isEmpty();
        first.get().close();
        assertThat(woken.get()).isEqualTo(1);
        assertThat(gates.tryEnter(build(2), deploy, () -> { })).isPresent();
    }

    @Test
    void tasksOfTheSameBuildShareItsSlotAndTheOldestWaitingBuildGoesFirst() {
        JobDef deploy = job("deploy", new Serial(List.of("deploy"), 1));
        JobGate.Pass shard1 = gates.tryEnter(build(1), deploy, () -> { }).orElseThrow();
        JobGate.Pass shard2 = gates.tryEnter(build(1), deploy, () -> { }).orElseThrow();
        assertThat(gates.tryEnter(build(2), deploy, () -> { })).isEmpty();
        shard1.close();
        assertThat(gates.tryEnter(build(3), deploy, () -> { })).as("build 1 still holds it").isEmpty();
        shard2.close();
        assertThat(gates.tryEnter(build(3), deploy, () -> { })).as("build 2 waited longer").isEmpty();
        assertThat(gates.tryEnter(build(2), deploy, () -> { })).isPresent();
    }

    @Test
    void aBuildThatEndsWhileWaitingNoLongerHoldsOthersBack() {
        JobDef deploy = job("deploy", new Serial(List.of("deploy"), 1));
        JobGate.Pass held = gates.tryEnter(build(1), deploy, () -> { }).orElseThrow();
        assertThat(gates.tryEnter(build(2), deploy, () -> { })).isEmpty();
        gates.buildEnded(build(2));
        held.close();
        assertThat(gates.tryEnter(build(3), deploy, () -> { })).isPresent();
    }

    @Test
    void groupsAreSharedBetweenJobsAndMaxInFlightAdmitsThatMany() {
        JobDef migrate = job("migrate", new Serial(List.of("db"), 1));
        JobDef seed = job("seed", new Serial(List.of("db"), 1));
        assertThat(gates.tryEnter(build(1), migrate, () -> { })).isPresent();
        assertThat(gates.tryEnter(build(2), seed, () -> { })).isEmpty();

        JobDef e2e = job("e2e", new Serial(List.of("e2e"), 2));
        assertThat(gates.tryEnter(build(1), e2e, () -> { })).isPresent();
        assertThat(gates.tryEnter(build(2), e2e, () -> { })).isPresent();
        assertThat(gates.tryEnter(build(3), e2e, () -> { })).isEmpty();
        assertThat(gates.tryEnter(build(4), job("lint", Serial.NONE), () -> { })).isPresent();
    }
}
