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
            return causedBy(scope, child.execute(scope.withCancellation(mine)), mine);
        } finally {
            timer.cancel(false);
        }
    }

    /**
     * The child's outcome, except that a failure caused by {@code mine} firing (and not by a cancellation from
     * above) reads as mine's reason (TIMED_OUT, or FAILED for a dead service or an exceeded limit) and message.
     */
    static Outcome causedBy(TaskScope scope, Outcome outcome, Cancellation mine) {
        Cancellation.Reason why = mine.reason();
        if (outcome.succeeded() || why == null || why == Cancellation.Reason.CANCELLED
                || scope.cancellation().isCancelled()) {
            return outcome;
        }
        return new Outcome(why == Cancellation.Reason.TIMED_OUT ? TaskState.TIMED_OUT : TaskState.FAILED, -1,
                mine.message());
    }
}
