package dev.gantry.engine.service;

import dev.gantry.core.pipeline.Durations;
import dev.gantry.core.pipeline.Restart;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A job service's {@code restart: {max, within}} while its task runs: at most {@code max} restarts in any window
 * of {@code within}, or over the task's whole run when {@code within} is null. (A live release's budget, on the
 * server, also spaces its restarts out; a job's service waits for its readiness probe each time instead.)
 */
public final class RestartBudget {

    private final Restart policy;
    private final Deque<Instant> restarts = new ArrayDeque<>();

    public RestartBudget(Restart policy) {
        this.policy = policy;
    }

    /** Takes one restart at {@code now}: its number among those counted (1 for the first), or 0 when none is left. */
    public synchronized int take(Instant now) {
        if (policy.within() != null) {
            Instant start = now.minus(policy.within());
            while (!restarts.isEmpty() && restarts.peekFirst().isBefore(start)) {
                restarts.removeFirst();
            }
        }
        if (restarts.size() >= policy.max()) {
            return 0;
        }
        restarts.addLast(now);
        return restarts.size();
    }

    public int max() {
        return policy.max();
    }

    /** The policy for people: {@code max 3 over the task's run}, {@code max 3 within 10m00s}. */
    public String describe() {
        return "max " + policy.max() + (policy.within() == null ? " over the task's run"
                : " within " + Durations.format(policy.within()));
    }
}
