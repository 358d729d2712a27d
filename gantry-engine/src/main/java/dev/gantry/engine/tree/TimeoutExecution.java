package dev.gantry.engine.tree;

import dev.gantry.core.pipeline.Durations;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.run.Outcome;
import dev.gantry.engine.run.TaskState;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Cancels its child, process tree and all, once it has run for longer than {@code limit}. */
record TimeoutExecution(Duration limit, String what, Execution child) implements Execution {

    @Override
    public Outcome execute(TaskScope scope) {
        Cancellation mine = scope.cancellation().child();
        String message = what + " timed out after " + Durations.format(limit);
        ScheduledFuture<?> timer = scope.task().timers().schedule(
                () -> mine.cancel(Cancellation.Reason.TIMED_OUT, message), limit.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return underDeadline(scope, child.execute(scope.withCancellation(mine)), mine, message);
        } finally {
            timer.cancel(false);
        }
    }

    /**
     * The child's outcome, except that a failure caused by {@code mine} firing (and not by a cancellation from
     * above) reads as TIMED_OUT with {@code message}.
     */
    static Outcome underDeadline(TaskScope scope, Outcome outcome, Cancellation mine, String message) {
        if (!outcome.succeeded() && mine.reason() == Cancellation.Reason.TIMED_OUT
                && !scope.cancellation().isCancelled()) {
            return new Outcome(TaskState.TIMED_OUT, -1, message);
        }
        return outcome;
    }
}
