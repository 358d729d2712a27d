package dev.gantry.engine.tree;

import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.run.Outcome;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs its child, then {@code on_success} or {@code on_failure} by the result, then {@code ensure} whatever
 * happened. When the task was cancelled, only {@code ensure} runs, bounded by the grace period. The task's
 * outcome is the child's when it failed, otherwise the first failing hook's.
 */
record HooksExecution(Execution child, SequenceExecution onSuccess, SequenceExecution onFailure,
                      SequenceExecution ensure) implements Execution {

    @Override
    public Outcome execute(TaskScope scope) {
        Outcome main = child.execute(scope);
        Outcome hook = Outcome.SUCCESS;
        boolean cancelled = scope.cancellation().isCancelled();
        if (!cancelled) {
            SequenceExecution hooks = main.succeeded() ? onSuccess : onFailure;
            hook = hooks.execute(scope);
        }
        Outcome ensured = ensure.isEmpty() ? Outcome.SUCCESS
                : cancelled ? ensureAfterCancel(scope) : ensure.execute(scope);
        if (!main.succeeded()) {
            return main;
        }
        if (!hook.succeeded()) {
            return new Outcome(hook.state(), hook.exitCode(), "on_success hook failed: " + hook.reason());
        }
        if (!ensured.succeeded()) {
            return new Outcome(ensured.state(), ensured.exitCode(), "ensure hook failed: " + ensured.reason());
        }
        return main;
    }

    private Outcome ensureAfterCancel(TaskScope scope) {
        Cancellation bounded = Cancellation.root();
        ScheduledFuture<?> timer = scope.task().timers().schedule(
                () -> bounded.cancel(Cancellation.Reason.TIMED_OUT, "ensure hooks ran out of the grace period"),
                scope.gracePeriod().toMillis(), TimeUnit.MILLISECONDS);
        try {
            ensure.execute(scope.withCancellation(bounded));
            return Outcome.SUCCESS;
        } finally {
            timer.cancel(false);
        }
    }
}
