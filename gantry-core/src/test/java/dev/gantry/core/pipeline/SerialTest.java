package dev.gantry.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SerialTest {

    @Test
    void serialIsAGroupOfTheJobsOwnNameWithOneInFlight() {
        assertThat(Serial.of("deploy", true, List.of(), null)).isEqualTo(new Serial(List.of("deploy"), 1));
    }

    @Test
    void maxInFlightAloneLimitsTheJob() {
        assertThat(Serial.of("e2e", false, List.of(), 3)).isEqualTo(new Serial(List.of("e2e"), 3));
    }

    @Test
    void groupsDefaultToOneInFlightEach() {
        assertThat(Serial.of("migrate", false, List.of("db"), null)).isEqualTo(new Serial(List.of("db"), 1));
        assertThat(Serial.of("migrate", true, List.of("db", "cache"), 2))
                .isEqualTo(new Serial(List.of("db", "cache"), 2));
    }

    @Test
    void aJobWithNoneOfTheKeysIsUnlimited() {
        assertThat(Serial.of("lint", false, List.of(), null).isNone()).isTrue();
    }
}
