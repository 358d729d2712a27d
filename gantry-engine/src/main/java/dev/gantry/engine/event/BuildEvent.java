package dev.gantry.engine.event;

import dev.gantry.engine.pool.Allocation;
import dev.gantry.engine.run.Outcome;
import dev.gantry.engine.run.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Everything a build reports as it runs; the console, the JSON stream and the run record all read these. */
public sealed interface BuildEvent {

    Instant at();

    record BuildStarted(Instant at, BuildInfo build, List<String> tasks) implements BuildEvent {
    }

    record TaskStarted(Instant at, String task, Allocation allocation) implements BuildEvent {
    }

    record AttemptStarted(Instant at, String task, int attempt, int maxAttempts) implements BuildEvent {
    }

    record StepStarted(Instant at, String task, String step) implements BuildEvent {
    }

    record LogLine(Instant at, String task, String step, String line) implements BuildEvent {
    }

    record StepFinished(Instant at, String task, String step, Outcome outcome, Duration duration)
            implements BuildEvent {
    }

    record ServiceStarted(Instant at, String task, String service, int port) implements BuildEvent {
    }

    record ServiceReady(Instant at, String task, String service, Duration startup, String probe)
            implements BuildEvent {
    }

    record ServiceLog(Instant at, String task, String service, String line) implements BuildEvent {
    }

    record ServiceStopped(Instant at, String task, String service, Integer exitCode) implements BuildEvent {
    }

    record TelemetrySampled(Instant at, String task, dev.gantry.engine.telemetry.Sample sample)
            implements BuildEvent {
    }

    /** Peaks and means of each scope of a task, sent once its processes are gone. */
    record TelemetrySummarized(Instant at, String task, List<dev.gantry.engine.telemetry.Summary> summaries)
            implements BuildEvent {
    }

    /** Files a step kept with the build, under {@code directory}. */
    record ArtifactsSaved(Instant at, String task, String name, java.nio.file.Path directory, int files, long bytes)
            implements BuildEvent {
    }

    /**
     * A cache step's result.
     *
     * @param action {@code saved}, {@code exists} (already saved: keys are immutable), {@code restored},
     *               {@code missed} (no key matched), {@code skipped} (none of the paths to save exists: nothing
     *               saved)
     * @param key    the key saved or restored; for a miss, the keys tried, comma-separated
     * @param bytes  the archive's size; null for a miss or a skipped save
     */
    record CacheUsed(Instant at, String task, String action, String key, Long bytes, Duration took)
            implements BuildEvent {
    }

    /** The tests a {@code test_results} step read from its reports. */
    record TestResultsRecorded(Instant at, String task, List<dev.gantry.core.junit.TestCase> tests)
            implements BuildEvent {
    }

    /** A deploy step made release {@code release} of {@code environment} and starts swapping it in. */
    record DeployStarted(Instant at, String task, String environment, int release, String strategy)
            implements BuildEvent {
    }

    /**
     * A deploy step's end.
     *
     * @param outcome {@code succeeded} (the release is live), {@code failed} (nothing was rolled back: no previous
     *                good release, or {@code rollback: none}) or {@code rolled_back} (the previous good release
     *                serves again)
     * @param serving the release serving now, or null when none is
     * @param reason  why the candidate failed, or null
     */
    record DeployFinished(Instant at, String task, String environment, int release, String outcome, Integer serving,
                          String reason) implements BuildEvent {
    }

    /**
     * Where a {@code batch} step stands, about once a second while it runs.
     *
     * @param latencies the successful requests' latencies since the previous progress event of this step (what the
     *                  server's metrics add up); {@code --json} leaves them out
     */
    record BatchProgress(Instant at, String task, String step, dev.gantry.core.batch.BatchFigures figures,
                         @com.fasterxml.jackson.annotation.JsonIgnore dev.gantry.core.batch.Latencies latencies)
            implements BuildEvent {
    }

    /**
     * A {@code batch} step's end, whatever it was: its figures and the latency histogram of this run's successful
     * requests.
     *
     * @param output  the batch's output directory, relative to the task's working copy where it lies inside it
     * @param failure why the batch stopped before its end, or null when every item ended in results or errors
     */
    record BatchFinished(Instant at, String task, String step, dev.gantry.core.batch.BatchFigures figures,
                         @com.fasterxml.jackson.annotation.JsonIgnore dev.gantry.core.batch.Latencies latencies,
                         String output, String failure) implements BuildEvent {
    }

    record TaskFinished(Instant at, String task, TaskState state, int attempts, Duration duration, String reason)
            implements BuildEvent {
    }

    record BuildFinished(Instant at, TaskState state, Duration duration) implements BuildEvent {
    }
}
