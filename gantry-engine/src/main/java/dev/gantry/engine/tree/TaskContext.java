package dev.gantry.engine.tree;

import dev.gantry.core.plan.TaskPlan;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.event.BuildListener;
import dev.gantry.engine.exec.TaskExecutor;
import dev.gantry.engine.run.TaskKeys;
import dev.gantry.engine.run.TaskRun;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The state one task's plan tree shares while it runs: the current attempt and its working copy, the task's
 * environment, and where events go. Owned by one task thread.
 */
public final class TaskContext {

    private final TaskPlan plan;
    private final TaskRun run;
    private final String taskId;
    private final TaskExecutor executor;
    private final BuildListener listener;
    private final Clock clock;
    private final ScheduledExecutorService timers;
    private final Map<String, String> env;
    private final List<String> shell;
    private final Duration grace;
    private final dev.gantry.engine.telemetry.TaskTelemetry telemetry;
    private final Path artifacts;
    private final dev.gantry.engine.event.BuildInfo build;
    private final dev.gantry.engine.workspace.Workspaces workspaces;
    private final dev.gantry.engine.secret.Secrets secrets;
    private final dev.gantry.core.pipeline.Pipeline pipeline;
    private Path workingCopy;
    private int attempt;

    public TaskContext(TaskPlan plan, TaskRun run, String taskId, TaskExecutor executor, BuildListener listener,
                       Clock clock, ScheduledExecutorService timers, Map<String, String> env, List<String> shell,
                       Duration grace, dev.gantry.engine.telemetry.TaskTelemetry telemetry,
                       dev.gantry.engine.event.BuildInfo build, dev.gantry.engine.workspace.Workspaces workspaces,
                       dev.gantry.engine.secret.Secrets secrets, dev.gantry.core.pipeline.Pipeline pipeline) {
        this.secrets = secrets;
        this.pipeline = pipeline;
        this.plan = plan;
        this.run = run;
        this.taskId = taskId;
        this.executor = executor;
        this.listener = listener;
        this.clock = clock;
        this.timers = timers;
        this.env = Map.copyOf(env);
        this.shell = List.copyOf(shell);
        this.grace = grace;
        this.telemetry = telemetry;
        this.build = build;
        this.workspaces = workspaces;
        this.artifacts = build.dir().resolve("artifacts").resolve(TaskKeys.key(plan.name()));
    }

    /** The task's process marker, {@code GANTRY_TASK_ID=...}, which every process of the task carries. */
    String marker() {
        return "GANTRY_TASK_ID=" + taskId;
    }

    dev.gantry.engine.workspace.Workspaces workspaces() {
        return workspaces;
    }

    dev.gantry.core.pipeline.Pipeline pipeline() {
        return pipeline;
    }

    dev.gantry.engine.event.BuildInfo build() {
        return build;
    }

    Path artifactsDirectory() {
        return artifacts;
    }

    dev.gantry.engine.telemetry.TaskTelemetry telemetry() {
        return telemetry;
    }

    /**
     * Starts attempt {@code n}: stops whatever the previous attempt left running and gives this one a fresh
     * working copy, so a retry really re-runs the whole task.
     */
    public void beginAttempt(int n, int max) throws IOException {
        if (workingCopy != null) {
            stopLeftovers();
            executor.discardWorkingCopy(workingCopy);
            workingCopy = null;
        }
        attempt = n;
        run.attemptStarted(n);
        listener.on(new BuildEvent.AttemptStarted(clock.instant(), plan.name(), n, max));
        workingCopy = executor.prepareWorkingCopy(TaskKeys.key(plan.name()), n);
    }

    /** Stops every process of the task still running and removes its working copy. */
    public void finish() {
        stopLeftovers();
        if (workingCopy != null) {
            executor.discardWorkingCopy(workingCopy);
            workingCopy = null;
        }
    }

    private void stopLeftovers() {
        executor.stopAll(marker(), grace);
    }

    /** Resolves the secrets the task's definitions reference. */
    java.util.function.Function<dev.gantry.core.pipeline.SecretRef, String> secrets() {
        return secrets.resolver();
    }

    dev.gantry.engine.secret.SecretMasker masker() {
        return secrets.masker();
    }

    Map<String, String> environment() {
        Map<String, String> e = new HashMap<>(env);
        e.put("GANTRY_ATTEMPT", String.valueOf(attempt));
        return e;
    }

    public TaskPlan plan() {
        return plan;
    }

    Path workingCopy() {
        return workingCopy;
    }

    TaskExecutor executor() {
        return executor;
    }

    public String taskName() {
        return plan.name();
    }

    void emit(BuildEvent event) {
        listener.on(event);
    }

    Clock clock() {
        return clock;
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    List<String> shell() {
        return shell;
    }

    Duration grace() {
        return grace;
    }
}
