package dev.gantry.engine.deploy;

import dev.gantry.core.pipeline.Durations;
import dev.gantry.core.pipeline.StepDef;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.probe.Probe;
import dev.gantry.engine.probe.ProbeTarget;
import dev.gantry.engine.probe.Probes;
import dev.gantry.engine.probe.Readiness;
import dev.gantry.engine.run.Outcome;
import dev.gantry.engine.step.StepContext;
import dev.gantry.engine.step.StepRunners;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What a candidate must pass before it serves: its readiness probe, then the gate's steps, run through the ordinary
 * step runners against it ({@code $GANTRY_RELEASE_URL}) within {@code gate_timeout}. Their output goes to the
 * step's log and to the release's {@code gate.log}.
 */
public final class Checks {

    public static final String GATE_LOG = "gate.log";

    private final List<StepDef> gate;
    private final Duration timeout;
    private final StepRunners runners;
    private final StepContext context;
    private final Cancellation base;

    /**
     * @param context where gate steps run (the deploy step's context; for a rollback outside a build, a scratch one)
     */
    public Checks(List<StepDef> gate, Duration timeout, StepRunners runners, StepContext context) {
        this(gate, timeout, runners, context, context.cancellation());
    }

    private Checks(List<StepDef> gate, Duration timeout, StepRunners runners, StepContext context,
                   Cancellation base) {
        this.gate = List.copyOf(gate);
        this.timeout = timeout;
        this.runners = runners;
        this.context = context;
        this.base = base;
    }

    /**
     * Readiness only, under {@code cancel} instead of the step's: how a release is put back after its build was
     * cancelled (the gate's steps would be stopped with the task).
     */
    Checks readinessOnly(Cancellation cancel) {
        return new Checks(List.of(), timeout, runners, context, cancel);
    }

    /**
     * Readiness then the gate, together within {@code gate_timeout}; null when {@code record}'s process passed both,
     * else why it did not.
     */
    public String check(LaunchRecord record, Path releaseDir, BooleanSupplier exited) {
        Cancellation c = base.child();
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() ->
                c.cancel(Cancellation.Reason.TIMED_OUT, "gate_timeout " + Durations.format(timeout) + " ran out"));
        try {
            String notReady = awaitReady(record, releaseDir, exited, c);
            if (notReady != null) {
                return notReady;
            }
            return runGate(record, releaseDir, c);
        } finally {
            c.cancel(Cancellation.Reason.CANCELLED, "the checks are over");
        }
    }

    /** Waits for the release's readiness probe; null when ready. */
    public static String awaitReady(LaunchRecord record, Path releaseDir, BooleanSupplier exited,
                                    Cancellation cancel) {
        if (record.ready() == null) {
            return exited.getAsBoolean() ? "release " + record.number() + " exited as it started" + tail(releaseDir)
                    : null;
        }
        Probe probe = Probes.create(record.ready(), new ProbeTarget(record.address(), record.port(), record.env(),
                releaseDir, record.shell()));
        try (LogTail tail = probe instanceof dev.gantry.engine.probe.LogProbe l
                ? LogTail.follow(releaseDir.resolve(ReleaseProcesses.SERVICE_LOG), l::accept) : null) {
            Readiness.Result r = Readiness.await(probe, record.ready(),
                    () -> exited.getAsBoolean() || cancel.isCancelled());
            if (r instanceof Readiness.Result.Ready) {
                return null;
            }
            if (r instanceof Readiness.Result.TimedOut t) {
                return "release " + record.number() + " was not ready after " + Durations.format(t.after())
                        + " (startup_timeout " + Durations.format(record.ready().startupTimeout()) + "); last probe "
                        + record.ready().describe() + ": " + t.last().detail();
            }
            if (cancel.isCancelled()) {
                return cancel.reason() == Cancellation.Reason.TIMED_OUT
                        ? cancel.message() + " before release " + record.number() + " was ready"
                        : "cancelled while release " + record.number() + " started: " + cancel.message();
            }
            return "release " + record.number() + " exited during start-up" + tail(releaseDir);
        }
    }

    private String runGate(LaunchRecord record, Path releaseDir, Cancellation c) {
        if (gate.isEmpty()) {
            return null;
        }
        Path log = releaseDir.resolve(GATE_LOG);
        Map<String, String> env = Map.of("GANTRY_RELEASE_URL", "http://" + record.address() + ":" + record.port(),
                "GANTRY_RELEASE_NUMBER", Integer.toString(record.number()),
                "GANTRY_ENVIRONMENT", record.environment());
        GateContext ctx = new GateContext(context, env, c, line -> append(log, context.masker().mask(line)));
        for (StepDef step : gate) {
            append(log, "gate step: " + step.name());
            Outcome o;
            try {
                o = runners.get(step.type()).run(step, ctx);
            } catch (RuntimeException e) {
                o = Outcome.errored("it could not run: " + (e.getMessage() != null ? e.getMessage()
                        : e.getClass().getSimpleName()));
            }
            if (!o.succeeded()) {
                String why = c.isCancelled() && c.reason() == Cancellation.Reason.TIMED_OUT ? c.message()
                        : o.reason() != null ? o.reason() : "exit code " + o.exitCode();
                append(log, "gate step '" + step.name() + "' failed: " + why);
                return "the gate failed at step '" + step.name() + "' against release " + record.number() + ": "
                        + why;
            }
        }
        append(log, "gate passed");
        return null;
    }

    private static void append(Path log, String line) {
        try {
            Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the step's own log still has it
        }
    }

    /** The last lines of the release's service.log, for a failure message. */
    static String tail(Path releaseDir) {
        try {
            List<String> lines = Files.readAllLines(releaseDir.resolve(ReleaseProcesses.SERVICE_LOG));
            List<String> last = lines.subList(Math.max(0, lines.size() - 5), lines.size());
            return last.isEmpty() ? "" : "; last lines of its service.log:\n    " + String.join("\n    ", last);
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }
}
