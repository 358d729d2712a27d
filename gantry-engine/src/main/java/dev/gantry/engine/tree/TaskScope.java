package dev.gantry.engine.tree;

import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.exec.TaskExecutor;
import dev.gantry.engine.service.ServiceHandle;
import dev.gantry.engine.step.StepContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A position in a task's plan tree: the task's shared context plus what decorators above this node added (a
 * narrower cancellation, output watchers). Decorators derive new scopes; they never mutate one.
 */
public final class TaskScope implements StepContext {

    private final TaskContext task;
    private final Cancellation cancellation;
    private final List<Runnable> outputWatchers;
    private final String step;
    private final Map<String, String> extraEnv;
    private final Map<String, ServiceHandle> services;

    public TaskScope(TaskContext task, Cancellation cancellation) {
        this(task, cancellation, List.of(), null, Map.of(), Map.of());
    }

    private TaskScope(TaskContext task, Cancellation cancellation, List<Runnable> watchers, String step,
                      Map<String, String> extraEnv, Map<String, ServiceHandle> services) {
        this.task = task;
        this.cancellation = cancellation;
        this.outputWatchers = watchers;
        this.step = step;
        this.extraEnv = extraEnv;
        this.services = services;
    }

    TaskScope withCancellation(Cancellation c) {
        return new TaskScope(task, c, outputWatchers, step, extraEnv, services);
    }

    TaskScope withOutputWatcher(Runnable watcher) {
        List<Runnable> w = new ArrayList<>(outputWatchers);
        w.add(watcher);
        return new TaskScope(task, cancellation, List.copyOf(w), step, extraEnv, services);
    }

    TaskScope forStep(String stepName) {
        return new TaskScope(task, cancellation, outputWatchers, stepName, extraEnv, services);
    }

    /** A scope whose steps also see {@code env} (the services' ports and URLs). */
    TaskScope withEnv(Map<String, String> env) {
        Map<String, String> merged = new java.util.HashMap<>(extraEnv);
        merged.putAll(env);
        return new TaskScope(task, cancellation, outputWatchers, step, Map.copyOf(merged), services);
    }

    /** A scope whose steps see the job's running services, by name, with their health. */
    TaskScope withServices(Map<String, ServiceHandle> handles) {
        return new TaskScope(task, cancellation, outputWatchers, step, extraEnv, handles);
    }

    TaskContext task() {
        return task;
    }

    @Override
    public Map<String, String> environment() {
        if (extraEnv.isEmpty()) {
            return task.environment();
        }
        Map<String, String> env = new java.util.HashMap<>(task.environment());
        env.putAll(extraEnv);
        return env;
    }

    @Override
    public java.util.function.Function<dev.gantry.core.pipeline.SecretRef, String> secrets() {
        return task.secrets();
    }

    @Override
    public dev.gantry.engine.secret.SecretMasker masker() {
        return task.masker();
    }

    @Override
    public Path workingDirectory() {
        return task.workingCopy();
    }

    @Override
    public TaskExecutor executor() {
        return task.executor();
    }

    @Override
    public Cancellation cancellation() {
        return cancellation;
    }

    @Override
    public Duration gracePeriod() {
        return task.grace();
    }

    @Override
    public List<String> shell() {
        return task.shell();
    }

    @Override
    public Path artifactsDirectory() {
        return task.artifactsDirectory();
    }

    @Override
    public void report(BuildEvent event) {
        task.emit(event);
    }

    @Override
    public Path timingsFile() {
        return task.build().timingsFile(task.plan().job().name());
    }

    @Override
    public Path buildDirectory() {
        return task.build().dir();
    }

    @Override
    public dev.gantry.engine.workspace.Workspaces workspaces() {
        return task.workspaces();
    }

    @Override
    public String taskName() {
        return task.taskName();
    }

    @Override
    public String pipelineName() {
        return task.build().pipelineName();
    }

    @Override
    public dev.gantry.engine.event.BuildInfo build() {
        return task.build();
    }

    @Override
    public dev.gantry.core.pipeline.Pipeline pipeline() {
        return task.pipeline();
    }

    @Override
    public dev.gantry.core.pipeline.JobDef job() {
        return task.plan().job();
    }

    @Override
    public Map<String, ServiceHandle> services() {
        return services;
    }

    @Override
    public void output(String line) {
        outputWatchers.forEach(Runnable::run);
        task.emit(new BuildEvent.LogLine(task.clock().instant(), task.plan().name(), step, line));
    }
}
