package dev.gantry.engine.tree;

import dev.gantry.core.pipeline.Durations;
import dev.gantry.core.pipeline.ServiceDef;
import dev.gantry.core.pipeline.Value;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.exec.ProcessSpec;
import dev.gantry.engine.exec.ServiceSpec;
import dev.gantry.engine.exec.StepProcess;
import dev.gantry.engine.probe.Liveness;
import dev.gantry.engine.probe.LogProbe;
import dev.gantry.engine.probe.Probe;
import dev.gantry.engine.probe.ProbeResult;
import dev.gantry.engine.probe.ProbeTarget;
import dev.gantry.engine.probe.Probes;
import dev.gantry.engine.probe.Readiness;
import dev.gantry.engine.process.ProcessTree;
import dev.gantry.engine.run.Outcome;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.service.RestartBudget;
import dev.gantry.engine.service.RunningService;
import dev.gantry.engine.service.ServiceHandle;
import dev.gantry.engine.service.ServiceHealth;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One job service while its task runs: starts it and awaits its readiness, then watches its exit and its live
 * probe, keeps its {@link ServiceHealth} current, and, when it has a {@code restart:} policy, starts it again on
 * the same port after it exits or fails its live probe, one restart at a time, until the budget is spent (then,
 * as without a policy, the steps are cancelled with the reason) or the steps are over.
 */
final class SupervisedService {

    private final ServiceDef def;
    private final int port;
    private final TaskScope scope;
    private final ServiceHealth health;
    private final RestartBudget budget;
    private final Object lock = new Object();

    // guarded by lock
    private RunningService current;
    private int generation;
    private Liveness liveness;
    private Cancellation steps;
    private boolean restarting;
    private boolean closed;
    private Thread restarter;

    /** {@code scope} is the one the steps see (with every service's port and URL in its environment). */
    SupervisedService(ServiceDef def, int port, TaskScope scope) {
        this.def = def;
        this.port = port;
        this.scope = scope;
        this.health = new ServiceHealth(def.name(), port);
        this.budget = def.restart() == null ? null : new RestartBudget(def.restart());
    }

    ServiceHandle handle() {
        return health;
    }

    /** Starts it and waits until it is ready: null when it is, or the outcome that ends the task. */
    Outcome start() {
        Outcome failed = launch(() -> scope.cancellation().isCancelled());
        if (failed != null && scope.cancellation().isCancelled()) {
            return new Outcome(TaskState.CANCELLED, -1, scope.cancellation().message());
        }
        return failed;
    }

    /** Watches it while the steps run under {@code stepsCancellation}, which a failure past restarts cancels. */
    void watch(Cancellation stepsCancellation) {
        RunningService rs;
        int gen;
        synchronized (lock) {
            steps = stepsCancellation;
            rs = current;
            gen = generation;
        }
        if (rs != null) {
            watch(rs, gen);
        }
    }

    /** No more restarts and no more watching: the steps are over; what runs now is stopped by {@link #stop}. */
    void quiesce() {
        Liveness l;
        synchronized (lock) {
            closed = true;
            l = liveness;
            liveness = null;
        }
        if (l != null) {
            l.close();
        }
    }

    /** Stops it for good (its stop signal, its grace period), after any restart under way has given up. */
    void stop() {
        quiesce();
        Thread t;
        synchronized (lock) {
            t = restarter;
        }
        joinUninterruptibly(t);
        RunningService rs;
        synchronized (lock) {
            rs = current;
            current = null;
        }
        health.gone("service " + def.name() + " was stopped: the job's steps are over");
        if (rs != null) {
            stopped(rs.stop(scope.gracePeriod()));
        }
    }

    /** Starts a copy and waits for its readiness: null when it is ready, or the outcome that ends the task. */
    private Outcome launch(BooleanSupplier abort) {
        TaskContext task = scope.task();
        String portText = String.valueOf(port);
        String command = def.command().replace("{{ port }}", portText).replace("{{port}}", portText);
        String id = UUID.randomUUID().toString();
        Map<String, String> env = new HashMap<>(scope.environment());
        env.putAll(Value.resolveAll(def.env(), scope.secrets()));
        env.put("PORT", portText);
        env.put("GANTRY_SERVICE_ID", id);
        Path dir = def.workingDirectory() == null ? scope.workingDirectory()
                : scope.workingDirectory().resolve(def.workingDirectory()).normalize();
        List<String> argv = new ArrayList<>(scope.shell());
        argv.add(command);
        Probe probe = def.ready() == null ? null
                : Probes.create(def.ready(), new ProbeTarget(task.executor().serviceAddress(), port, env, dir,
                        scope.shell(), task.executor()));
        LogProbe logProbe = probe instanceof LogProbe l ? l : null;
        RunningService rs;
        synchronized (lock) {
            if (closed) {
                return new Outcome(TaskState.CANCELLED, -1, "service " + def.name() + " was not started: the steps are over");
            }
            StepProcess process;
            try {
                process = task.executor().startService(new ServiceSpec(def.name(), def.image(),
                        new ProcessSpec(argv, env, dir, "GANTRY_SERVICE_ID=" + id), def.stopSignal(),
                        def.gracePeriod() != null ? def.gracePeriod() : scope.gracePeriod()));
            } catch (IOException e) {
                return Outcome.errored("cannot start service " + def.name() + ": " + e.getMessage());
            }
            task.emit(new BuildEvent.ServiceStarted(task.clock().instant(), task.taskName(), def.name(), port));
            ProcessTree.Selector byMarker = ProcessTree.Selector.marker("GANTRY_SERVICE_ID", id);
            task.telemetry().watch("service:" + def.name(), task.executor().meter("service:" + def.name(), byMarker)
                    .orElse(dev.gantry.engine.telemetry.Meter.of(byMarker)));
            rs = new RunningService(def, port, process, line -> {
                if (logProbe != null) {
                    logProbe.accept(line);
                }
                task.emit(new BuildEvent.ServiceLog(task.clock().instant(), task.taskName(), def.name(), line));
            });
            current = rs;
            generation++;
        }
        if (probe == null) {
            task.emit(new BuildEvent.ServiceReady(task.clock().instant(), task.taskName(), def.name(),
                    java.time.Duration.ZERO, "no readiness probe"));
            health.up();
            return null;
        }
        Readiness.Result r = Readiness.await(probe, def.ready(), () -> rs.exited() || abort.getAsBoolean());
        if (r instanceof Readiness.Result.Ready ready) {
            task.emit(new BuildEvent.ServiceReady(task.clock().instant(), task.taskName(), def.name(), ready.after(),
                    def.ready().describe()));
            health.up();
            return null;
        }
        if (r instanceof Readiness.Result.TimedOut t) {
            return new Outcome(TaskState.FAILED, -1, "service " + def.name() + " was not ready after "
                    + Durations.format(t.after()) + " (startup_timeout " + Durations.format(def.ready().startupTimeout())
                    + "); last probe " + def.ready().describe() + ": " + t.last().detail());
        }
        if (abort.getAsBoolean()) {
            return new Outcome(TaskState.CANCELLED, -1, "service " + def.name() + " was not awaited: the steps are over");
        }
        Readiness.Result.Aborted a = (Readiness.Result.Aborted) r;
        return new Outcome(TaskState.FAILED, -1, "service " + def.name() + " exited with code " + rs.exitCode()
                + " during start-up, after " + Durations.format(a.after()) + rs.tail());
    }

    /** Watches one started copy: its exit, and its live probe's every result. */
    private void watch(RunningService rs, int gen) {
        if (def.live() != null) {
            Map<String, String> env = new HashMap<>(scope.environment());
            env.put("PORT", String.valueOf(port)); // as the ready probe and the service itself see it
            Probe probe = Probes.create(def.live(), new ProbeTarget(scope.task().executor().serviceAddress(), port,
                    env, scope.workingDirectory(), scope.shell(), scope.task().executor()));
            Liveness l = Liveness.watch(probe, def.live(), def.name(), scope.task().clock(),
                    result -> probed(gen, result),
                    report -> failed(gen, new Failure(report, "", () -> "")));
            boolean keep;
            synchronized (lock) {
                keep = !closed && gen == generation;
                if (keep) {
                    liveness = l;
                }
            }
            if (!keep) {
                l.close();
            }
        }
        rs.exit().thenAccept(code -> failed(gen, new Failure("service " + def.name()
                + " exited with code " + code, " while the steps ran", rs::tail)));
    }

    private void probed(int gen, ProbeResult result) {
        synchronized (lock) {
            if (closed || restarting || gen != generation) {
                return;
            }
            if (result.success()) {
                health.up();
            } else {
                health.down();
            }
        }
    }

    /** The copy of generation {@code gen} failed: restart it if the budget allows, or give it up. */
    private void failed(int gen, Failure f) {
        Cancellation cancel;
        synchronized (lock) {
            if (closed || restarting || gen != generation) {
                return;
            }
            health.down();
            cancel = steps;
            if (cancel.isCancelled()) {
                return;
            }
            restarting = true;
            int n = budget == null ? 0 : budget.take(scope.task().clock().instant());
            if (n > 0) {
                RunningService old = current;
                restarter = new Thread(() -> restart(old, f, n), "restart-" + def.name());
                restarter.setDaemon(true);
                restarter.start();
                return;
            }
        }
        String reason = budget == null ? f.reason() : f.pastBudget(budget.describe());
        health.gone(reason);
        cancel.cancel(Cancellation.Reason.FAILED, reason);
    }

    /** Runs on a thread of its own, one at a time: stops what is left of {@code old} and starts a new copy. */
    private void restart(RunningService old, Failure f, int first) {
        int n = first;
        TaskContext task = scope.task();
        String line = f.why() + "; restart " + n + " of " + budget.max();
        say(line);
        Liveness l;
        synchronized (lock) {
            l = liveness;
            liveness = null;
            current = null;
        }
        if (l != null) {
            l.close();
        }
        stopped(old.stop(scope.gracePeriod()));
        Outcome failed = launch(this::over);
        while (failed != null && !over()) {
            // a copy that did not come up uses one restart of the budget, not all of it
            int next = budget.take(task.clock().instant());
            if (next == 0) {
                break;
            }
            String again = "restart " + n + " of " + budget.max() + " failed: " + failed.reason().lines().findFirst()
                    .orElse("") + "; restart " + next + " of " + budget.max();
            say(again);
            RunningService bad;
            synchronized (lock) {
                bad = current;
                current = null;
            }
            if (bad != null) {
                stopped(bad.stop(scope.gracePeriod()));
            }
            n = next;
            failed = launch(this::over);
        }
        Cancellation cancel;
        int gen;
        RunningService rs;
        synchronized (lock) {
            cancel = steps;
            gen = generation;
            rs = current;
            if (failed == null && !closed) {
                restarting = false;
            }
        }
        if (failed == null) {
            watch(rs, gen);
        } else if (!over()) {
            String reason = "restart " + n + " of " + budget.max() + " failed: " + failed.reason();
            health.gone(reason);
            cancel.cancel(Cancellation.Reason.FAILED, reason);
        }
    }

    /** A restart's line: in the task's log, and in the service's own log, where it marks the new copy's start. */
    private void say(String line) {
        TaskContext task = scope.task();
        task.emit(new BuildEvent.LogLine(task.clock().instant(), task.taskName(), null, line));
        task.emit(new BuildEvent.ServiceLog(task.clock().instant(), task.taskName(), def.name(), "gantry: " + line));
    }

    /** Whether restarts must stop: the steps are done, or cancelled. */
    private boolean over() {
        synchronized (lock) {
            return closed || steps.isCancelled();
        }
    }

    private void stopped(Integer code) {
        TaskContext task = scope.task();
        task.emit(new BuildEvent.ServiceStopped(task.clock().instant(), task.taskName(), def.name(), code));
    }

    private static void joinUninterruptibly(Thread t) {
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * How a running copy failed: {@code why} starts the restart's log line; without a restart policy the task
     * fails with {@code why + during + tail}, as it always has ({@code tail}: the copy's last lines, if any).
     */
    private record Failure(String why, String during, Supplier<String> tail) {

        String reason() {
            return why + during + tail.get();
        }

        String pastBudget(String policy) {
            return why + during + "; its restart budget is spent (" + policy + ")" + tail.get();
        }
    }
}
