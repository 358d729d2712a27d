package dev.gantry.server.deploy;

import dev.gantry.core.pipeline.Restart;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.pipeline.DeployDef;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RestartBudgetTest {

    static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void allowsMaxRestartsWithinTheWindowThenNoMore() {
        RestartBudget b = new RestartBudget(new Restart(2, Duration.ofMinutes(10)), Duration.ofSeconds(1),
                Duration.ofMinutes(1));
        assertThat(b.allows(T0)).isTrue();
        b.restarted(T0);
        b.restarted(T0.plusSeconds(60));
        assertThat(b.allows(T0.plusSeconds(120))).isFalse();
    }

    @Test
    void forgetsRestartsOlderThanTheWindow() {
        RestartBudget b = new RestartBudget(new Restart(1, Duration.ofMinutes(10)), Duration.ofSeconds(1),
                Duration.ofMinutes(1));
        b.restarted(T0);
        assertThat(b.allows(T0.plus(Duration.ofMinutes(9)))).isFalse();
        assertThat(b.allows(T0.plus(Duration.ofMinutes(11)))).isTrue();
    }

    @Test
    void waitsLongerAfterEachRecentRestartUpToTheCap() {
        RestartBudget b = new RestartBudget(new Restart(10, Duration.ofHours(1)), Duration.ofSeconds(1),
                Duration.ofSeconds(5));
        assertThat(b.backoff(T0)).isEqualTo(Duration.ofSeconds(1));
        b.restarted(T0);
        assertThat(b.backoff(T0)).isEqualTo(Duration.ofSeconds(2));
        b.restarted(T0);
        assertThat(b.backoff(T0)).isEqualTo(Duration.ofSeconds(4));
        b.restarted(T0);
        assertThat(b.backoff(T0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(b.backoff(T0.plus(Duration.ofHours(2)))).as("after a quiet window, back to the first wait")
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aBudgetOfZeroRestartsNothing() {
        RestartBudget b = new RestartBudget(new Restart(0, Duration.ofMinutes(10)), Duration.ofSeconds(1),
                Duration.ofMinutes(1));
        assertThat(b.allows(T0)).isFalse();
    }
}
