package dev.gantry.engine.batch.http;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long an item waits before its next attempt: exponential backoff with full jitter (a uniform draw between zero
 * and {@code base·2ⁿ⁻¹}, capped), so that items failed together by one hiccup do not come back together; a
 * server's {@code Retry-After} is a floor, itself capped so that one answer cannot park an item for hours.
 *
 * @param base          the first ceiling; the standard 200 ms
 * @param cap           the largest ceiling; the standard 30 s
 * @param retryAfterCap the most a {@code Retry-After} is honoured; the standard 60 s
 */
public record Backoff(Duration base, Duration cap, Duration retryAfterCap) {

    public static final Backoff STANDARD = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30),
            Duration.ofSeconds(60));

    /**
     * @param failures   the item's transient failures so far (1 after the first)
     * @param retryAfter what the server asked for, or null
     */
    public Duration delay(int failures, Duration retryAfter) {
        int shift = Math.max(0, failures - 1);
        long ceiling = (long) Math.min((double) cap.toNanos(), base.toNanos() * Math.pow(2, Math.min(shift, 200)));
        long jittered = ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
        if (retryAfter != null) {
            // compared as Durations: toNanos() of a huge one (10^10 s, a far-future date) would overflow
            Duration floor = retryAfter.compareTo(retryAfterCap) > 0 ? retryAfterCap : retryAfter;
            jittered = Math.max(jittered, floor.toNanos());
        }
        return Duration.ofNanos(jittered);
    }
}
