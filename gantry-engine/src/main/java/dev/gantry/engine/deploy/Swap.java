package dev.gantry.engine.deploy;

import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.deploy.proxy.ProxyControl;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The two strategies that put a release in the place of the one serving. {@code replace} frees the stable port and
 * the GPU first (one GPU cannot hold both); {@code blue_green} gates the new release on a port of its own and
 * switches the proxy on the stable port, draining the old one before stopping it.
 */
final class Swap {

    /** The longest a stopped release's port or GPU memory may take to be released. */
    static final Duration RELEASE_WAIT = Duration.ofMinutes(2);

    /**
     * @param failure    why {@code next} is not serving, or null when it is
     * @param oldServing whether the old release still serves (a failed {@code blue_green} never touched it)
     */
    record Result(String failure, boolean oldServing) {
    }

    private final EnvironmentDirectory env;
    private final Consumer<String> log;
    private final Cancellation cancel;
    private final Map<String, String> baseEnv;
    private final ReleaseRunners runners;

    Swap(EnvironmentDirectory env, Consumer<String> log, Cancellation cancel, Map<String, String> baseEnv,
         ReleaseRunners runners) {
        this.runners = runners;
        this.env = env;
        this.log = log;
        this.cancel = cancel;
        this.baseEnv = baseEnv;
    }

    Result run(LaunchRecord old, LaunchRecord next, Checks checks) throws IOException {
        return next.blueGreen() ? blueGreen(old, next, checks) : replace(old, next, checks);
    }

    private Result replace(LaunchRecord old, LaunchRecord next, Checks checks) throws IOException {
        ProxyControl proxy = new ProxyControl(env);
        if (proxy.isRunning()) {
            log.accept("stopping the blue/green proxy on port " + next.stablePort() + " (this deploy replaces)");
            proxy.stop();
        }
        if (old != null && runners.of(old).isRunning(old)) {
            ReleaseRunner runner = runners.of(old);
            Set<Long> pids = runner.pids(old);
            log.accept("stopping release " + old.number() + " (SIG" + old.stopSignal() + ", grace "
                    + dev.gantry.core.pipeline.Durations.format(old.grace()) + ")");
            runner.stop(old);
            Optional<String> gpu = runner.awaitGpuReleased(old, pids, RELEASE_WAIT, cancel);
            if (gpu.isPresent()) {
                return new Result("release " + old.number() + " was stopped but " + gpu.get() + " after "
                        + RELEASE_WAIT.toMinutes() + "m", false);
            }
        }
        if (cancel.isCancelled()) {
            return new Result("the deploy was cancelled (" + cancel.message() + ") before release " + next.number()
                    + " started", false);
        }
        if (next.stablePort() > 0 && !ReleaseProcesses.awaitPortFree(next.address(), next.port(), RELEASE_WAIT,
                cancel)) {
            return new Result(cancel.isCancelled() ? "the deploy was cancelled (" + cancel.message() + ")"
                    : "port " + next.port() + " is still in use by another process after "
                    + RELEASE_WAIT.toMinutes() + "m: stop what holds it, or choose another port", false);
        }
        return new Result(start(next, checks), false);
    }

    private Result blueGreen(LaunchRecord old, LaunchRecord next, Checks checks) throws IOException {
        String failure = start(next, checks);
        if (failure != null) {
            return new Result(failure, old != null && runners.of(old).isRunning(old));
        }
        ProxyControl proxy = new ProxyControl(env);
        boolean oldRunning = old != null && runners.of(old).isRunning(old);
        if (oldRunning && !proxy.isRunning() && old.port() == next.stablePort()) {
            log.accept("release " + old.number() + " holds the stable port itself (deployed by replace): stopping"
                    + " it before the proxy starts there");
            runners.of(old).stop(old);
            oldRunning = false;
            if (!ReleaseProcesses.awaitPortFree(old.address(), next.stablePort(), RELEASE_WAIT, cancel)) {
                return new Result("port " + next.stablePort() + " is still in use after release " + old.number()
                        + " stopped", false);
            }
        }
        log.accept("switching port " + next.stablePort() + " to release " + next.number() + " (port " + next.port()
                + ")");
        proxy.switchTo(next.stablePort(), next.port(), baseEnv);
        if (oldRunning) {
            boolean drained = proxy.awaitDrained(old.port(), old.grace());
            log.accept(drained ? "release " + old.number() + " drained; stopping it"
                    : "release " + old.number() + " still had connections after its grace period; stopping it");
            runners.of(old).stop(old);
        }
        return new Result(null, false);
    }

    /** Starts a release and checks it; null when it passed. */
    String start(LaunchRecord record, Checks checks) throws IOException {
        Path dir = env.release(record.number());
        log.accept("starting release " + record.number() + " on port " + record.port()
                + (record.container() == null ? "" : " in a container of " + record.container().image() + " ("
                + record.container().imageId() + ") on docker host " + record.container().host()));
        return checks.check(record, dir, runners.of(record).launch(record, dir));
    }
}
