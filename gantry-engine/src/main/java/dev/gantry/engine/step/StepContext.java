package dev.gantry.engine.step;

import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.exec.Executor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What a step runner may use: the task's environment and working copy, its executor, and where output goes. */
public interface StepContext {

    /** The task's full environment; a step adds its own {@code env} on top. */
    Map<String, String> environment();

    /** Resolves the secrets a step's definition references (see {@code Value}). */
    java.util.function.Function<dev.gantry.core.pipeline.SecretRef, String> secrets();

    /** Masks the build's secrets in what a step keeps itself, beside the events it reports (which are masked). */
    dev.gantry.engine.secret.SecretMasker masker();

    Path workingDirectory();

    Executor executor();

    /** Fires when the step must stop (timeout, cancellation); the runner stops its processes. */
    Cancellation cancellation();

    Duration gracePeriod();

    /** The command line a script is appended to, e.g. {@code bash -eo pipefail -c}. */
    List<String> shell();

    /** One line of the step's output. */
    void output(String line);

    /** Where this task's artifacts are kept: {@code .gantry/builds/N/artifacts/TASK}. */
    Path artifactsDirectory();

    /** Reports something the step did that the build's record and summary show. */
    void report(dev.gantry.engine.event.BuildEvent event);

    /** The timings history of the task's job (see {@code test_results}). */
    Path timingsFile();

    /** Where the build keeps its records: {@code .gantry/builds/N}. */
    Path buildDirectory();

    /** The build's workspace, which {@code persist} fills and {@code attach} reads. */
    dev.gantry.engine.workspace.Workspaces workspaces();

    /** The task's name, for the events a step reports. */
    String taskName();

    /** The name of the pipeline the task belongs to (on the server, its registered name): its caches' namespace. */
    String pipelineName();

    /** The build the task belongs to: its number, revision and trigger (a release records them). */
    dev.gantry.engine.event.BuildInfo build();

    /** The pipeline being run: its environments, which a deploy step resolves. */
    dev.gantry.core.pipeline.Pipeline pipeline();

    /** The task's job: its volumes, whose digests a release records. */
    dev.gantry.core.pipeline.JobDef job();

    /** The job's services by name, each with its health: what a {@code batch} step with {@code service:} uses. */
    default Map<String, dev.gantry.engine.service.ServiceHandle> services() {
        return Map.of();
    }
}
