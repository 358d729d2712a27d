package dev.gantry.engine.batch.http;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads a {@code Retry-After} header: delay-seconds or an HTTP-date (RFC 9110 §10.2.3). What it returns is at most
 * {@link #MOST} (a day), whatever the server wrote, so that later arithmetic in nanoseconds cannot overflow; the
 * {@link Backoff} caps it much lower.
 */
public final class RetryAfter {

    /** The longest wait this reads: a larger one (10¹⁰ s, the year 9999) is taken as this. */
    public static final Duration MOST = Duration.ofDays(1);

    private RetryAfter() {
    }

    /** The wait it asks for (zero for a date in the past), or null when absent or unreadable. */
    public static Duration parse(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return atMost(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException e) {
                return MOST; // more digits than a long holds
            }
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration d = Duration.between(clock.instant(), at.toInstant());
            return d.isNegative() ? Duration.ZERO : atMost(d);
        } catch (DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }

    private static Duration atMost(Duration d) {
        return d.compareTo(MOST) > 0 ? MOST : d;
    }
}
