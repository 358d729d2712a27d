package dev.gantry.core.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.pipeline.Retention;
import dev.gantry.core.validate.Pipelines;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code retention: {builds, days}}: a pipeline's own limits, each falling back to the server's; a build's data
 * expires only when every limit given says so. Bad values are in {@code pipelines/invalid/retention.yml}.
 */
class RetentionFormatTest {

    private static Retention retention(String line) {
        String yaml = "jobs:\n  build:\n    steps: [{run: make}]\n" + line;
        return Pipelines.load("gantry.yml", yaml.getBytes(StandardCharsets.UTF_8), Map.of()).retention();
    }

    @Test
    void readsEitherLimitOrBoth() {
        assertThat(retention("")).isEqualTo(Retention.FOREVER);
        assertThat(retention("retention: {builds: 50}\n")).isEqualTo(new Retention(50, null));
        assertThat(retention("retention: {days: 30}\n")).isEqualTo(new Retention(null, 30));
        assertThat(retention("retention: {builds: 50, days: 30}\n")).isEqualTo(new Retention(50, 30));
    }

    @Test
    void thePipelineOverridesTheServerKeyByKey() {
        Retention server = new Retention(100, 14);
        assertThat(new Retention(5, null).orElse(server)).isEqualTo(new Retention(5, 14));
        assertThat(Retention.FOREVER.orElse(server)).isEqualTo(server);
        assertThat(Retention.FOREVER.orElse(Retention.FOREVER).keepsForever()).isTrue();
    }

    @Test
    void aBuildExpiresOnlyPastEveryLimitGiven() {
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        Instant old = now.minus(Duration.ofDays(40));
        Instant recent = now.minus(Duration.ofDays(2));
        Retention both = new Retention(10, 30);
        assertThat(both.expires(10, old, now)).isTrue();
        assertThat(both.expires(9, old, now)).as("among the newest 10").isFalse();
        assertThat(both.expires(500, recent, now)).as("younger than 30 days").isFalse();
        assertThat(new Retention(10, null).expires(10, recent, now)).isTrue();
        assertThat(new Retention(null, 30).expires(0, old, now)).isTrue();
        assertThat(Retention.FOREVER.expires(1_000, old, now)).isFalse();
    }
}
