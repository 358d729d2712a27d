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
            Outcome o = child.execute(scope.withCancellation(mine));
            if (!o.succeeded() && mine.reason() == Cancellation.Reason.TIMED_OUT
                    && !scope.cancellation().isCancelled()) {
                return new Outcome(TaskState.TIMED_OUT, -1, message);
            }
            return o;
        } finally {
            timer.cancel(false);
        }
    }
}
