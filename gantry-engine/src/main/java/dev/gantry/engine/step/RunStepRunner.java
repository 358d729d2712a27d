package dev.gantry.engine.step;

import dev.gantry.core.pipeline.RunStep;
import dev.gantry.core.pipeline.StepDef;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.exec.ProcessSpec;
import dev.gantry.engine.exec.StepProcess;
import dev.gantry.engine.run.Outcome;
import dev.gantry.engine.run.TaskState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Runs a {@code run} step: the script through the pipeline's shell, output streamed line by line. */
final class RunStepRunner implements StepRunner {

    /** How long to wait for output still buffered in the pipe once the step's main process has exited. */
    private static final long DRAIN_MS = 500;

    /** How long to wait for the rest of the output once every process of a stopped step is gone. */
    private static final long STOPPED_DRAIN_MS = 10_000;

    @Override
    public String type() {
        return RunStep.TYPE;
    }

    @Override
    public Outcome run(StepDef def, StepContext ctx) {
        RunStep step = (RunStep) def;
        Path dir = ctx.workingDirectory();
        if (step.workingDirectory() != null) {
            dir = dir.resolve(step.workingDirectory()).normalize();
            if (!Files.isDirectory(dir)) {
                return Outcome.errored("working_directory '" + step.workingDirectory() + "' does not exist");
            }
        }
        String stepId = UUID.randomUUID().toString();
        Map<String, String> env = new HashMap<>(ctx.environment());
        env.putAll(dev.gantry.core.pipeline.Value.resolveAll(step.env(), ctx.secrets()));
        env.put("GANTRY_STEP_ID", stepId);
        List<String> command = new ArrayList<>(ctx.shell());
        command.add(step.command());
        StepProcess process;
        try {
            process = ctx.executor().start(new ProcessSpec(command, env, dir, "GANTRY_STEP_ID=" + stepId));
        } catch (IOException e) {
            return Outcome.errored("cannot start '" + String.join(" ", ctx.shell()) + "': " + e.getMessage());
        }
        Thread pump = new Thread(() -> pump(process, ctx), "output-" + step.name());
        pump.setDaemon(true);
        pump.start();
        Cancellation cancellation = ctx.cancellation();
        int exit;
        // stopping can take the whole grace period: do it on a thread of its own, so whoever cancels (a timer,
        // Ctrl-C, fail-fast under the scheduler's lock) is not held up, and many tasks stop at once
        Runnable stopAsync = () -> {
            Thread t = new Thread(() -> process.stop(ctx.gracePeriod()), "stop-" + step.name());
            t.setDaemon(true);
            t.start();
        };
        try (Cancellation.Registration r = cancellation.onCancel(stopAsync)) {
            exit = process.waitFor();
            pump.join(DRAIN_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.stop(ctx.gracePeriod());
            return new Outcome(TaskState.CANCELLED, -1, "interrupted");
        }
        if (cancellation.isCancelled()) {
            process.stop(ctx.gracePeriod());
            drain(pump); // every writer is gone now: what it printed last (a trap's goodbye) belongs to this step
            TaskState state = cancellation.reason() == Cancellation.Reason.TIMED_OUT
                    ? TaskState.TIMED_OUT : TaskState.CANCELLED;
            return new Outcome(state, -1, cancellation.message());
        }
        return exit == 0 ? Outcome.SUCCESS : Outcome.failed(exit);
    }

    private static void drain(Thread pump) {
        try {
            pump.join(STOPPED_DRAIN_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pump(StepProcess process, StepContext ctx) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.output(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                ctx.output(line);
            }
        } catch (IOException e) {
            // the pipe closed because the process tree was stopped: nothing more to read
        }
    }
}
