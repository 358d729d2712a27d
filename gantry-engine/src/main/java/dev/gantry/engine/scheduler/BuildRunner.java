package dev.gantry.engine.scheduler;

import dev.gantry.core.plan.Plan;
import dev.gantry.core.plan.TaskPlan;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.event.BuildInfo;
import dev.gantry.engine.event.BuildListener;
import dev.gantry.engine.event.IsolatedListener;
import dev.gantry.engine.exec.Executor;
import dev.gantry.engine.exec.TaskExecutor;
import dev.gantry.engine.exec.TaskSetup;
import dev.gantry.engine.pool.Allocation;
import dev.gantry.engine.pool.Placement;
import dev.gantry.engine.queue.QueueServer;
import dev.gantry.engine.run.Outcome;
import dev.gantry.engine.run.TaskKeys;
import dev.gantry.engine.run.TaskRun;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.serial.JobGate;
import dev.gantry.engine.step.StepRunners;
import dev.gantry.engine.telemetry.NvidiaSmi;
import dev.gantry.engine.telemetry.TaskTelemetry;
import dev.gantry.engine.tree.ExecutionCompiler;
import dev.gantry.engine.tree.TaskContext;
import dev.gantry.engine.tree.TaskScope;
import dev.gantry.engine.workspace.Workspaces;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs a plan: starts each task once everything it needs has succeeded, a concurrency slot is free and its pools
 * have room; skips the dependents of a failed task while other branches go on; stops everything on
 * cancellation, or at the first failure with fail-fast.
 */
public final class BuildRunner {

    private final Executor executor;
    private final ExecutionCompiler compiler;
    private final EngineSettings settings;
    /** Isolated: a listener that throws must not skip the scheduler's bookkeeping (a hung or orphaned build). */
    private final BuildListener listener;
    private final NvidiaSmi nvidia;
    private final JobGate gate;

    public BuildRunner(Executor executor, StepRunners runners, EngineSettings settings, BuildListener listener) {
        this(executor, runners, settings, listener, JobGate.OPEN);
    }

    /** @param gate which jobs may start while other builds run (the server's serial jobs) */
    public BuildRunner(Executor executor, StepRunners runners, EngineSettings settings, BuildListener listener,
                       JobGate gate) {
        this.gate = gate;
        this.executor = executor;
        this.compiler = new ExecutionCompiler(runners);
        this.settings = settings;
        this.listener = IsolatedListener.of(settings.secrets().masking(listener));
        this.nvidia = new NvidiaSmi(settings.baseEnv().get("PATH"));
    }

    /** Runs the whole plan and returns when every task has ended. {@code cancel} stops the build from outside. */
    public BuildResult run(Plan plan, BuildInfo build, Cancellation cancel) {
        return new Run(plan, build, cancel).execute();
    }

    /** The state of one build while it runs; all fields are guarded by {@code lock}. */
    private final class Run {

        private final Plan plan;
        private final BuildInfo build;
        private final Cancellation all;
        private final Placement pools = executor.placement();
        private final Workspaces workspaces;
        private final QueueServer queues;
        private final Map<String, TaskRun> runs = new LinkedHashMap<>();
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private int running;
        private String failFastCause;
        private boolean gated;

        Run(Plan plan, BuildInfo build, Cancellation external) {
            this.plan = plan;
            this.build = build;
            this.all = external.child();
            this.workspaces = new Workspaces(build.dir().resolve("workspace"), plan);
            this.queues = startQueues();
            Instant now = settings.clock().instant();
            plan.tasks().forEach(t -> runs.put(t.name(), new TaskRun(t.name(), now)));
        }

        BuildResult execute() {
            Instant start = settings.clock().instant();
            listener.on(new BuildEvent.BuildStarted(start, build, plan.tasks().stream().map(TaskPlan::name).toList()));
            ExecutorService threads = Executors.newCachedThreadPool(daemon("task"));
            ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(daemon("timer"));
            Cancellation.Registration wake = all.onCancel(this::signal);
            boolean interrupted = false;
            boolean ended = false;
            lock.lock();
            try {
                while (true) {
                    if (all.isCancelled()) {
                        String why = failFastCause != null ? "fail-fast: " + failFastCause + " failed"
                                : "build cancelled";
                        queued().forEach(t -> finish(t, TaskState.CANCELLED, 0, why));
                    }
                    boolean progressed = schedule(threads, timers);
                    if (running == 0 && !progressed && !gated) {
                        queued().forEach(t -> finish(t, TaskState.ERRORED, 0, pools.fits(t.uses())
                                ? "could not be scheduled (an internal error: please report it)"
                                : "can never start: needs " + t.uses() + " but the executor offers "
                                + pools.describe()));
                        break;
                    }
                    if (!progressed) {
                        try {
                            changed.await();
                        } catch (InterruptedException e) {
                            interrupted = true;
                            all.cancel(Cancellation.Reason.CANCELLED, "build interrupted");
                        }
                    }
                }
                ended = true;
            } finally {
                if (!ended) {
                    // an internal error left the loop: stop what runs rather than leave it behind
                    all.cancel(Cancellation.Reason.CANCELLED, "build stopped by an internal error");
                    interrupted |= awaitRunningTasks();
                }
                lock.unlock();
                wake.close();
                gate.buildEnded(build);
                threads.shutdown();
                timers.shutdownNow();
                if (queues != null) {
                    queues.close();
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            Instant end = settings.clock().instant();
            TaskState state = overall();
            listener.on(new BuildEvent.BuildFinished(end, state, Duration.between(start, end)));
            return new BuildResult(state, runs.values().stream().toList(), Duration.between(start, end));
        }

        /** Waits, holding the lock, until every started task has ended; returns whether it was interrupted. */
        private boolean awaitRunningTasks() {
            boolean interrupted = false;
            while (running > 0) {
                try {
                    changed.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            return interrupted;
        }

        /** A work queue server for jobs with shards; a build without any needs none. */
        private QueueServer startQueues() {
            if (plan.tasks().stream().noneMatch(t -> t.nodeTotal() > 1)) {
                return null;
            }
            try {
                return new QueueServer();
            } catch (IOException e) {
                return null; // shards fall back to the static split
            }
        }

        /** One pass over the queue: skips what can no longer run, starts what can. Returns whether anything changed. */
        private boolean schedule(ExecutorService threads, ScheduledExecutorService timers) {
            boolean progressed = false;
            gated = false;
            for (TaskPlan task : plan.tasks()) {
                TaskRun run = runs.get(task.name());
                if (run.state() != TaskState.QUEUED) {
                    continue;
                }
                if (task.skipReason() != null) {
                    finish(task, TaskState.SKIPPED, 0, task.skipReason());
                    progressed = true;
                    continue;
                }
                Optional<String> blocked = task.dependsOn().stream()
                        .filter(d -> runs.get(d).state().isTerminal() && !runs.get(d).state().isSuccess())
                        .findFirst();
                if (blocked.isPresent()) {
                    TaskRun dep = runs.get(blocked.get());
                    finish(task, TaskState.SKIPPED, 0, "needs " + dep.name() + ", which "
                            + (dep.state() == TaskState.SKIPPED ? "was skipped" : dep.state().label()));
                    progressed = true;
                    continue;
                }
                boolean ready = task.dependsOn().stream().allMatch(d -> runs.get(d).state().isSuccess());
                if (!ready || running >= settings.concurrency() || all.isCancelled()) {
                    continue;
                }
                Optional<JobGate.Pass> pass = gate.tryEnter(build, task.job(), this::signal);
                if (pass.isEmpty()) {
                    gated = true;
                    continue;
                }
                Optional<Allocation> allocation = pools.tryAcquire(task.uses());
                if (allocation.isEmpty()) {
                    pass.get().close();
                    continue;
                }
                running++;
                run.transition(TaskState.RUNNING, settings.clock().instant(), null);
                listener.on(new BuildEvent.TaskStarted(settings.clock().instant(), task.name(), allocation.get()));
                threads.execute(() -> runTask(task, run, allocation.get(), pass.get(), timers));
                progressed = true;
            }
            return progressed;
        }

        private void runTask(TaskPlan task, TaskRun run, Allocation allocation, JobGate.Pass pass,
                             ScheduledExecutorService timers) {
            String taskId = build.id() + "." + TaskKeys.key(task.name());
            Outcome outcome = Outcome.errored("internal error: the task ended without an outcome");
            try {
                outcome = execute(task, run, allocation, pass, timers, taskId);
            } finally {
                ended(task, run, allocation, outcome);
            }
        }

        private Outcome execute(TaskPlan task, TaskRun run, Allocation allocation, JobGate.Pass pass,
                                ScheduledExecutorService timers, String taskId) {
            // a container task does not inherit Gantry's environment, but its volumes are Gantry's
            Map<String, String> inherited = executor.isolates(task.job().image())
                    ? Map.of("GANTRY_VOLUMES_DIR", dev.gantry.engine.workspace.VolumeLocks.root(settings.baseEnv())
                    .toAbsolutePath().toString()) : settings.baseEnv();
            Map<String, String> env = new java.util.HashMap<>(TaskEnvironment.of(inherited, build, task,
                    taskId, allocation, pools.capacity(allocation.host()).getOrDefault("gpu", 0), settings.tools(),
                    settings.secrets().resolver()));
            if (queues != null) {
                env.put("GANTRY_QUEUE_URL", queues.url(task.job().name()));
            }
            TaskTelemetry telemetry = TaskTelemetry.start("GANTRY_TASK_ID=" + taskId, nvidia,
                    allocation.slots().getOrDefault("gpu", List.of()), settings.clock(), settings.telemetryInterval(),
                    sample -> listener.on(new BuildEvent.TelemetrySampled(sample.at(), task.name(), sample)));
            Duration grace = plan.pipeline().defaults().gracePeriod();
            TaskExecutor bound = null;
            TaskContext ctx = null;
            Outcome outcome;
            try {
                bound = executor.forTask(new TaskSetup(taskId, build.id(), task.name(), task.job().image(),
                        allocation, task.job().limits().memoryBytes(), "TERM", grace,
                        task.job().services().stream().map(dev.gantry.core.pipeline.ServiceDef::name).toList(),
                        settings.secrets().resolver()));
                bound.meter("task", new dev.gantry.engine.process.ProcessTree.Selector("GANTRY_TASK_ID=" + taskId,
                        0, 0)).ifPresent(m -> telemetry.watch("task", m));
                ctx = new TaskContext(task, run, taskId, bound, listener, settings.clock(), timers, env,
                        plan.pipeline().defaults().shell(), grace, telemetry, build,
                        workspaces, settings.secrets(), plan.pipeline());
                ctx.beginAttempt(1, task.job().retry().attempts());
                outcome = compiler.compile(task.root()).execute(new TaskScope(ctx, all.child()));
            } catch (IOException e) {
                // without a context, the executor could not take the task (its image, its host): its own words
                outcome = Outcome.errored(ctx == null ? e.getMessage()
                        : "cannot prepare the working copy: " + e.getMessage());
            } catch (RuntimeException e) {
                outcome = Outcome.errored("internal error: " + e);
            } finally {
                telemetry.close();
                if (ctx != null) {
                    ctx.finish();
                }
                if (bound != null) {
                    bound.close();
                }
                if (queues != null) {
                    queues.release(task.job().name(), taskId);
                }
                listener.on(new BuildEvent.TelemetrySummarized(settings.clock().instant(), task.name(),
                        telemetry.summaries()));
                pass.close();
            }
            return outcome;
        }

        /** The scheduler's side of a task's end; runs whatever happened before, so the build never waits forever. */
        private void ended(TaskPlan task, TaskRun run, Allocation allocation, Outcome outcome) {
            lock.lock();
            try {
                running--;
                pools.release(allocation);
                finish(task, outcome.state(), run.attempts(), outcome.reason());
                if (settings.failFast() && !outcome.succeeded() && outcome.state() != TaskState.CANCELLED
                        && failFastCause == null) {
                    failFastCause = task.name();
                    all.cancel(Cancellation.Reason.CANCELLED, "fail-fast: " + task.name() + " failed");
                }
            } finally {
                changed.signalAll();
                lock.unlock();
            }
        }

        private void finish(TaskPlan task, TaskState state, int attempts, String reason) {
            TaskRun run = runs.get(task.name());
            Instant now = settings.clock().instant();
            reason = settings.secrets().masker().mask(reason);
            run.transition(state, now, reason);
            listener.on(new BuildEvent.TaskFinished(now, task.name(), state, attempts, run.duration(), reason));
        }

        private java.util.List<TaskPlan> queued() {
            return plan.tasks().stream().filter(t -> runs.get(t.name()).state() == TaskState.QUEUED).toList();
        }

        private void signal() {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        private TaskState overall() {
            boolean cancelled = false;
            for (TaskRun r : runs.values()) {
                switch (r.state()) {
                    case FAILED, TIMED_OUT, ERRORED:
                        return TaskState.FAILED;
                    case CANCELLED:
                        cancelled = true;
                        break;
                    default:
                        break;
                }
            }
            return cancelled ? TaskState.CANCELLED : TaskState.SUCCEEDED;
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "gantry-" + prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
