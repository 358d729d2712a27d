package dev.gantry.engine.tree;

import dev.gantry.core.pipeline.RetryPolicy;
import dev.gantry.engine.run.Outcome;
import dev.gantry.engine.run.TaskState;
import java.io.IOException;

/**
 * Runs its child again, each time from a fresh working copy, while it fails in a way the policy retries. The
 * first attempt's working copy is prepared by the task runner before the tree starts. Before each retry,
 * {@code betweenAttempts} (the job's {@code test_results} hooks) reads the failed attempt's reports; what it
 * returns never stops the retry.
 */
record RetryExecution(RetryPolicy policy, Execution child, SequenceExecution betweenAttempts) implements Execution {

    @Override
    public Outcome execute(TaskScope scope) {
        Outcome outcome = child.execute(scope);
        for (int attempt = 2; attempt <= policy.attempts() && shouldRetry(outcome, scope); attempt++) {
            if (!betweenAttempts.isEmpty()) {
                betweenAttempts.execute(scope);
            }
            try {
                scope.task().beginAttempt(attempt, policy.attempts());
            } catch (IOException e) {
                return Outcome.errored("cannot prepare the working copy for attempt " + attempt + ": "
                        + e.getMessage());
            }
            outcome = child.execute(scope);
        }
        return outcome;
    }

    private boolean shouldRetry(Outcome o, TaskScope scope) {
        if (o.succeeded() || scope.cancellation().isCancelled()) {
            return false;
        }
        if (o.state() == TaskState.TIMED_OUT) {
            return policy.retries(true, -1);
        }
        return o.state() == TaskState.FAILED && policy.retries(false, o.exitCode());
    }
}
