package dev.gantry.engine.notify;

import java.time.Duration;

/**
 * How hard a notification is pushed: up to {@code attempts} tries, the n-th retry {@code firstDelay × 2^(n-1)}
 * after the previous failure, each try bounded by {@code timeout} (to connect and to read the answer).
 */
public record RetryPolicy(int attempts, Duration firstDelay, Duration timeout) {

    /** Five tries over about half a minute (2, 4, 8, 16 s apart), ten seconds each. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(2), Duration.ofSeconds(10));

    public RetryPolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
        }
        if (firstDelay.isNegative() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("delays must not be negative and the timeout must be positive");
        }
    }

    /** The wait before attempt {@code next} (2 or more). */
    public Duration delayBefore(int next) {
        int doublings = Math.min(next - 2, 20);
        return firstDelay.multipliedBy(1L << doublings);
    }
}
