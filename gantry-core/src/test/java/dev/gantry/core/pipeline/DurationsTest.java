package dev.gantry.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parsesUnitsAndCombinations() {
        assertThat(Durations.parse("90s")).contains(Duration.ofSeconds(90));
        assertThat(Durations.parse("20m")).contains(Duration.ofMinutes(20));
        assertThat(Durations.parse("1h30m")).contains(Duration.ofMinutes(90));
        assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
        assertThat(Durations.parse("1m30s250ms")).contains(Duration.ofMillis(90_250));
        assertThat(Durations.parse("2d")).contains(Duration.ofDays(2));
    }

    @Test
    void partsMayHaveUpToThreeDecimals() {
        assertThat(Durations.parse("0.5s")).contains(Duration.ofMillis(500));
        assertThat(Durations.parse("1.5h")).contains(Duration.ofMinutes(90));
        assertThat(Durations.parse("0.25m")).contains(Duration.ofSeconds(15));
        assertThat(Durations.parse("1.001s")).contains(Duration.ofMillis(1001));
        assertThat(Durations.parse("2.5ms")).contains(Duration.ofMillis(2));
    }

    @Test
    void rejectsNumbersWithoutUnitsAndProse() {
        assertThat(Durations.parse("90")).isEmpty();
        assertThat(Durations.parse("10 minutes")).isEmpty();
        assertThat(Durations.parse("1.5")).isEmpty();
        assertThat(Durations.parse(".5s")).isEmpty();
        assertThat(Durations.parse("0.1234s")).isEmpty();
        assertThat(Durations.parse("")).isEmpty();
    }

    @Test
    void rejectsDurationsThatOverflowOrExceedTheMaximumWithoutThrowing() {
        for (String t : new String[] {"99999999999999999999s", "9223372036854775807d", "9223372036854775807ms",
                "366d", "200d200d", "8761h", "000000000000000000000000366d"}) {
            assertThat(Durations.parse(t)).as(t).isEmpty();
            assertThat(Durations.isWellFormed(t)).as(t).isTrue();
        }
        assertThat(Durations.parse("365d")).contains(Durations.MAX);
        assertThat(Durations.parse("00000000000000000000090s")).contains(Duration.ofSeconds(90));
        assertThat(Durations.isWellFormed("10 minutes")).isFalse();
    }

    @Test
    void formatsTheSameInEveryLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertThat(Durations.format(Duration.ofMillis(420))).isEqualTo("0.42s");
            assertThat(Durations.format(Duration.ofMillis(12_345))).isEqualTo("12.3s");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void formatsForPeople() {
        assertThat(Durations.format(Duration.ofMillis(420))).isEqualTo("0.42s");
        assertThat(Durations.format(Duration.ofMillis(12_345))).isEqualTo("12.3s");
        assertThat(Durations.format(Duration.ofSeconds(245))).isEqualTo("4m05s");
        assertThat(Durations.format(Duration.ofMinutes(62))).isEqualTo("1h02m");
    }

    @Test
    void formatsWithADecimalPointUnderAnyDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertThat(Durations.format(Duration.ofMillis(420))).isEqualTo("0.42s");
            assertThat(Durations.format(Duration.ofMillis(12_345))).isEqualTo("12.3s");
            Locale.setDefault(Locale.forLanguageTag("ar-EG"));
            assertThat(Durations.format(Duration.ofSeconds(245))).isEqualTo("4m05s");
        } finally {
            Locale.setDefault(before);
        }
    }
}
