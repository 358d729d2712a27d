package dev.gantry.server.deploy;

import dev.gantry.core.pipeline.Restart;
import dev.gantry.core.pipeline.DeployDef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A live release's {@code restart: {max, within}}: how many crash restarts are left in the sliding window, and how
 * long to wait before the next one (doubling from {@code initial}, at most {@code cap}), so a release that dies at
 * once is not restarted in a tight loop.
 */
final class RestartBudget {

    private final Restart policy;
    private final Duration initial;
    private final Duration cap;
    private final Deque<Instant> restarts = new ArrayDeque<>();

    RestartBudget(Restart policy, Duration initial, Duration cap) {
        this.policy = policy;
        this.initial = initial;
        this.cap = cap;
    }

    /** True when another restart at {@code now} stays within {@code max} restarts in {@code within}. */
    boolean allows(Instant now) {
        forgetBefore(now.minus(policy.within()));
        return restarts.size() < policy.max();
    }

    /** How long to wait before the restart {@link #allows} permits: the more recent restarts, the longer. */
    Duration backoff(Instant now) {
        forgetBefore(now.minus(policy.within()));
        Duration d = initial;
        for (int i = 0; i < restarts.size() && d.compareTo(cap) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(cap) > 0 ? cap : d;
    }

    void restarted(Instant at) {
        restarts.addLast(at);
    }

    int recent() {
        return restarts.size();
    }

    Restart policy() {
        return policy;
    }

    private void forgetBefore(Instant start) {
        while (!restarts.isEmpty() && restarts.peekFirst().isBefore(start)) {
            restarts.removeFirst();
        }
    }
}
