package dev.gantry.engine.tree;

import dev.gantry.core.pipeline.StepDef;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.run.Outcome;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.step.StepRunner;
import java.time.Duration;
import java.time.Instant;

/** Runs one step through its runner and reports its start and end. */
record StepExecution(StepDef step, String label, StepRunner runner) implements Execution {

    @Override
    public Outcome execute(TaskScope scope) {
        TaskContext task = scope.task();
        String taskName = task.plan().name();
        if (scope.cancellation().isCancelled()) {
            return new Outcome(TaskState.CANCELLED, -1, scope.cancellation().message());
        }
        Instant start = task.clock().instant();
        task.emit(new BuildEvent.StepStarted(start, taskName, label));
        Outcome outcome;
        try {
            outcome = runner.run(step, scope.forStep(label));
        } catch (RuntimeException e) {
            outcome = Outcome.errored(step.type() + " step failed unexpectedly: " + e);
        }
        Instant end = task.clock().instant();
        task.emit(new BuildEvent.StepFinished(end, taskName, label, outcome, Duration.between(start, end)));
        return outcome;
    }
}
