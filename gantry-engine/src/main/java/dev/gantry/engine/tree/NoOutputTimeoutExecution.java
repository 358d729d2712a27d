package dev.gantry.engine.tree;

import dev.gantry.core.pipeline.Durations;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.run.Outcome;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Cancels its child when it has printed nothing for {@code limit}. */
record NoOutputTimeoutExecution(Duration limit, Execution child) implements Execution {

    @Override
    public Outcome execute(TaskScope scope) {
        Cancellation mine = scope.cancellation().child();
        AtomicLong lastOutput = new AtomicLong(System.nanoTime());
        String message = "no output for " + Durations.format(limit);
        long period = Math.max(10, Math.min(1000, limit.toMillis() / 10));
        ScheduledFuture<?> watch = scope.task().timers().scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastOutput.get() >= limit.toNanos()) {
                mine.cancel(Cancellation.Reason.TIMED_OUT, message);
            }
        }, period, period, TimeUnit.MILLISECONDS);
        try {
            Outcome o = child.execute(scope.withCancellation(mine)
                    .withOutputWatcher(() -> lastOutput.set(System.nanoTime())));
            return TimeoutExecution.causedBy(scope, o, mine);
        } finally {
            watch.cancel(false);
        }
    }
}
