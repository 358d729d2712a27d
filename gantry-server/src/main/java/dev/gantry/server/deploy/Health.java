package dev.gantry.server.deploy;

import java.time.Instant;

/**
 * What the live release's {@code monitor} probe last said, as the API and the environments page show it.
 *
 * @param state    {@code passing} or {@code failing}
 * @param failures consecutive failed probes (0 while passing)
 * @param detail   what the last probe saw ({@code HTTP 503: ...}, {@code connection refused})
 * @param at       when it ran
 */
public record Health(String state, int failures, String detail, Instant at) {

    public static final String PASSING = "passing";
    public static final String FAILING = "failing";

    public static Health passing(String detail, Instant at) {
        return new Health(PASSING, 0, detail, at);
    }

    public static Health failing(int failures, String detail, Instant at) {
        return new Health(FAILING, failures, detail, at);
    }
}
