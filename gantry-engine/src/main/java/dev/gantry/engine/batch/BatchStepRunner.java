package dev.gantry.engine.batch;

import dev.gantry.core.batch.BatchFigures;
import dev.gantry.core.batch.BatchSpec;
import dev.gantry.core.batch.BatchUrl;
import dev.gantry.core.batch.Latencies;
import dev.gantry.core.pipeline.BatchStep;
import dev.gantry.core.pipeline.StepDef;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.run.Outcome;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.service.ServiceHandle;
import dev.gantry.engine.step.StepContext;
import dev.gantry.engine.step.StepRunner;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeSet;

/**
 * Runs a {@code batch} step: its input and output inside the task's working copy, against the job's service or a
 * URL, reporting progress events (and a log line every ten seconds) and, at the end, a {@code BatchFinished} event
 * and a summary.
 *
 * <p>The step succeeds when the batch is complete, that is every item ended in {@code results.jsonl} or
 * {@code errors.jsonl}, even when some ended in errors: a bad line or a text the model refuses is the data's problem,
 * recorded where a later step (or a rerun with {@code --retry-errors}) can act on it, and failing the build for it
 * would throw away a batch that did its job. The summary says how many errored. The step fails when the batch
 * stopped before its end (its service gone past its restarts, its output not writable), and reads cancelled or timed
 * out when the task's cancellation stopped it; in every case what was done is kept for a rerun to resume.
 */
public final class BatchStepRunner implements StepRunner {

    private static final Duration LOG_EVERY = Duration.ofSeconds(10);

    private final Clock clock;

    public BatchStepRunner() {
        this(Clock.systemUTC());
    }

    public BatchStepRunner(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String type() {
        return BatchStep.TYPE;
    }

    @Override
    public Outcome run(StepDef def, StepContext ctx) {
        BatchStep step = (BatchStep) def;
        BatchSpec spec = step.spec();
        Path work = ctx.workingDirectory().toAbsolutePath().normalize();
        String outside = outside(work, "input", spec.input());
        if (outside == null) {
            outside = outside(work, "output", spec.output());
        }
        if (outside != null) {
            return Outcome.errored(outside);
        }
        BatchTarget target;
        if (step.service() != null) {
            ServiceHandle service = ctx.services().get(step.service());
            if (service == null) {
                Map<String, ServiceHandle> all = ctx.services();
                return Outcome.errored("batch: the job has no service '" + step.service() + "'"
                        + (all.isEmpty() ? " (it has no services)" : " (its services: "
                        + String.join(", ", new TreeSet<>(all.keySet())) + ")"));
            }
            target = BatchTarget.service(service);
        } else {
            String bad = BatchUrl.problem(step.url());
            if (bad != null) { // the loader checks it too: this is for definitions built in code
                return Outcome.errored("batch: bad url '" + step.url() + "': " + bad);
            }
            target = BatchTarget.url(URI.create(BatchUrl.normalized(step.url())));
        }
        String output = relative(work, spec.output());
        StepListener listener = new StepListener(ctx, step.name());
        Cancellation cancellation = ctx.cancellation();
        BatchResult result = BatchRun.run(spec, work, target, listener, cancellation);
        ctx.report(new BuildEvent.BatchFinished(clock.instant(), ctx.taskName(), step.name(), result.figures(),
                result.latencies(), output, result.failure()));
        BatchSummary.summary(result.figures(), output).forEach(ctx::output);
        if (cancellation.isCancelled()) {
            TaskState state = switch (cancellation.reason()) {
                case TIMED_OUT -> TaskState.TIMED_OUT;
                case FAILED -> TaskState.FAILED;
                case CANCELLED -> TaskState.CANCELLED;
            };
            return new Outcome(state, -1, cancellation.message());
        }
        if (!result.complete()) {
            return new Outcome(TaskState.FAILED, -1, "batch stopped: " + result.failure());
        }
        return Outcome.SUCCESS;
    }

    private static String outside(Path work, String what, String path) {
        Path p = work.resolve(path).normalize();
        if (!p.startsWith(work)) {
            return "batch: " + what + " '" + path + "' lies outside the working directory; give a path inside it";
        }
        return null;
    }

    private static String relative(Path work, String path) {
        String rel = work.relativize(work.resolve(path).normalize()).toString().replace('\\', '/');
        return rel.isEmpty() ? "." : rel;
    }

    /** Progress as events every call, and as a log line every ten seconds; notes as log lines. */
    private final class StepListener implements BatchListener {

        private final StepContext ctx;
        private final String step;
        private long nextLogNanos = LOG_EVERY.toNanos();

        StepListener(StepContext ctx, String step) {
            this.ctx = ctx;
            this.step = step;
        }

        @Override
        public void progress(BatchFigures figures, Latencies sinceLast) {
            ctx.report(new BuildEvent.BatchProgress(clock.instant(), ctx.taskName(), step, figures, sinceLast));
            if (figures.elapsed().toNanos() >= nextLogNanos) {
                ctx.output(BatchSummary.progress(figures));
                nextLogNanos = figures.elapsed().toNanos() + LOG_EVERY.toNanos();
            }
        }

        @Override
        public void note(String line) {
            ctx.output("batch: " + line);
        }
    }
}
