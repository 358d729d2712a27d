package dev.gantry.engine.tree;

import dev.gantry.core.pipeline.Durations;
import dev.gantry.core.pipeline.ServiceDef;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.exec.ProcessSpec;
import dev.gantry.engine.exec.StepProcess;
import dev.gantry.engine.probe.Liveness;
import dev.gantry.engine.process.ProcessTree;
import dev.gantry.engine.probe.LogProbe;
import dev.gantry.engine.probe.Probe;
import dev.gantry.engine.probe.ProbeTarget;
import dev.gantry.engine.probe.Probes;
import dev.gantry.engine.probe.Readiness;
import dev.gantry.engine.run.Outcome;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.service.PortAllocator;
import dev.gantry.engine.service.RunningService;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Starts a job's services on ports of their own, waits for each to be ready, runs the steps while watching the
 * services (an exit or a failed liveness probe fails the job with that reason), then stops them in reverse
 * start order.
 */
record ServicesExecution(List<ServiceDef> services, Execution child) implements Execution {

    @Override
    public Outcome execute(TaskScope scope) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        Map<String, String> env = new HashMap<>();
        for (ServiceDef s : services) {
            int port = PortAllocator.allocate();
            ports.put(s.name(), port);
            String key = "GANTRY_SERVICE_" + s.name().toUpperCase(Locale.ROOT).replace('-', '_');
            env.put(key + "_PORT", String.valueOf(port));
            env.put(key + "_URL", "http://127.0.0.1:" + port);
        }
        TaskScope withServices = scope.withEnv(env);
        List<RunningService> started = new ArrayList<>();
        List<Liveness> watches = new ArrayList<>();
        try {
            for (ServiceDef s : startOrder()) {
                Outcome failed = start(s, ports.get(s.name()), withServices, started);
                if (failed != null) {
                    return failed;
                }
            }
            Cancellation mine = scope.cancellation().child();
            for (RunningService rs : started) {
                rs.process().exit().thenAccept(code -> mine.cancel(Cancellation.Reason.FAILED, "service "
                        + rs.def().name() + " exited with code " + code + " while the steps ran" + rs.tail()));
                if (rs.def().live() != null) {
                    Probe probe = Probes.create(rs.def().live(), target(rs, withServices));
                    watches.add(Liveness.watch(probe, rs.def().live(), rs.def().name(), scope.task().clock(),
                            report -> mine.cancel(Cancellation.Reason.FAILED, report)));
                }
            }
            Outcome o = child.execute(withServices.withCancellation(mine));
            watches.forEach(Liveness::close);
            return TimeoutExecution.causedBy(scope, o, mine);
        } finally {
            watches.forEach(Liveness::close);
            for (int i = started.size() - 1; i >= 0; i--) {
                RunningService rs = started.get(i);
                Integer code = rs.stop(scope.gracePeriod());
                scope.task().emit(new BuildEvent.ServiceStopped(scope.task().clock().instant(),
                        scope.task().taskName(), rs.def().name(), code));
            }
        }
    }

    /** Services in an order where each comes after what it depends on; file order otherwise. */
    private List<ServiceDef> startOrder() {
        List<ServiceDef> order = new ArrayList<>();
        List<String> placed = new ArrayList<>();
        while (order.size() < services.size()) {
            boolean progress = false;
            for (ServiceDef s : services) {
                if (!placed.contains(s.name()) && s.dependsOn().stream().allMatch(d -> placed.contains(d.name()))) {
                    order.add(s);
                    placed.add(s.name());
                    progress = true;
                }
            }
            if (!progress) {
                throw new IllegalStateException("services depend on each other in a cycle: " + services);
            }
        }
        return order;
    }

    /** Starts one service and waits for it; returns null when ready, or the outcome that ends the task. */
    private Outcome start(ServiceDef s, int port, TaskScope scope, List<RunningService> started) {
        TaskContext task = scope.task();
        String portText = String.valueOf(port);
        String command = s.command().replace("{{ port }}", portText).replace("{{port}}", portText);
        String id = UUID.randomUUID().toString();
        Map<String, String> env = new HashMap<>(scope.environment());
        env.putAll(dev.gantry.core.pipeline.Value.resolveAll(s.env(), scope.secrets()));
        env.put("PORT", portText);
        env.put("GANTRY_SERVICE_ID", id);
        Path dir = s.workingDirectory() == null ? scope.workingDirectory()
                : scope.workingDirectory().resolve(s.workingDirectory()).normalize();
        List<String> argv = new ArrayList<>(scope.shell());
        argv.add(command);
        StepProcess process;
        try {
            process = scope.executor().start(new ProcessSpec(argv, env, dir, "GANTRY_SERVICE_ID=" + id));
        } catch (IOException e) {
            return Outcome.errored("cannot start service " + s.name() + ": " + e.getMessage());
        }
        task.emit(new BuildEvent.ServiceStarted(task.clock().instant(), task.taskName(), s.name(), port));
        task.telemetry().watch("service:" + s.name(), ProcessTree.Selector.marker("GANTRY_SERVICE_ID", id));
        Probe probe = s.ready() == null ? null
                : Probes.create(s.ready(), new ProbeTarget("127.0.0.1", port, env, dir, scope.shell()));
        LogProbe logProbe = probe instanceof LogProbe l ? l : null;
        RunningService rs = new RunningService(s, port, process, line -> {
            if (logProbe != null) {
                logProbe.accept(line);
            }
            task.emit(new BuildEvent.ServiceLog(task.clock().instant(), task.taskName(), s.name(), line));
        });
        started.add(rs);
        if (probe == null) {
            task.emit(new BuildEvent.ServiceReady(task.clock().instant(), task.taskName(), s.name(),
                    java.time.Duration.ZERO, "no readiness probe"));
            return null;
        }
        Readiness.Result r = Readiness.await(probe, s.ready(), () -> rs.exited() || scope.cancellation().isCancelled());
        if (r instanceof Readiness.Result.Ready ready) {
            task.emit(new BuildEvent.ServiceReady(task.clock().instant(), task.taskName(), s.name(), ready.after(),
                    s.ready().describe()));
            return null;
        }
        if (r instanceof Readiness.Result.TimedOut t) {
            return new Outcome(TaskState.FAILED, -1, "service " + s.name() + " was not ready after "
                    + Durations.format(t.after()) + " (startup_timeout " + Durations.format(s.ready().startupTimeout())
                    + "); last probe " + s.ready().describe() + ": " + t.last().detail());
        }
        Readiness.Result.Aborted a = (Readiness.Result.Aborted) r;
        if (scope.cancellation().isCancelled()) {
            return new Outcome(TaskState.CANCELLED, -1, scope.cancellation().message());
        }
        return new Outcome(TaskState.FAILED, -1, "service " + s.name() + " exited with code " + rs.exitCode()
                + " during start-up, after " + Durations.format(a.after()) + rs.tail());
    }

    private static ProbeTarget target(RunningService rs, TaskScope scope) {
        return new ProbeTarget("127.0.0.1", rs.port(), scope.environment(), scope.workingDirectory(), scope.shell());
    }
}
