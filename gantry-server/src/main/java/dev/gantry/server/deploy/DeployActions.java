package dev.gantry.server.deploy;

import dev.gantry.core.deploy.Release;
import dev.gantry.core.deploy.ReleaseHistory;
import dev.gantry.engine.deploy.DeployException;
import dev.gantry.engine.deploy.Deployments;
import dev.gantry.server.ServerLog;
import dev.gantry.server.Threads;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Rollback, promotion and stop of an environment, asked for through the API or the UI. Each runs in the background
 * under the environment's deploy lock (so it waits for a deploy in progress, never overlaps one); the caller waits a
 * moment for it, and gets its result when it ends quickly (a refusal always does) or else word that it goes on,
 * to be followed in the release history: a gate can take minutes, longer than an HTTP request should.
 */
public final class DeployActions implements AutoCloseable {

    private final Deployments deployments;
    private final ReleaseHistory history;
    private final ServerLog log;
    private final Duration wait;
    private final ExecutorService actions = Executors.newCachedThreadPool(Threads.daemon("gantry-deploy-action"));
    /** The action under way per pipeline and environment (what it is, for the refusal): at most one each. */
    private final Map<List<String>, String> pending = new java.util.HashMap<>();

    /** @param wait how long a request waits for the action before answering that it goes on */
    public DeployActions(Deployments deployments, ReleaseHistory history, ServerLog log, Duration wait) {
        this.deployments = deployments;
        this.history = history;
        this.log = log;
        this.wait = wait;
    }

    /**
     * What became of an action.
     *
     * @param done    false while it goes on
     * @param refused true when it was refused (nothing changed): the message says why
     */
    public record Result(boolean done, boolean refused, String message, Map<String, Object> details) {
    }

    /** Puts release {@code to} back, or the previous good one when null; gated like a deploy. */
    public Result rollback(String pipeline, String environment, Integer to) {
        String what = "rollback of " + pipeline + "/" + environment + (to == null ? "" : " to release " + to);
        return run(pipeline, environment, "rollback", what, () -> rolledBack(deployments.rollback(pipeline, environment, to, line ->
                log.info(pipeline + "/" + environment + ": " + line,
                        ServerLog.About.environment(pipeline, environment)))));
    }

    /**
     * Deploys again the release build {@code build} made in this environment (its directory, as kept): gated, and
     * put back in place of the live one like a rollback.
     */
    public Result promote(String pipeline, String environment, long build) {
        List<Release> made = history.list(pipeline, environment).stream().filter(r -> r.build() == build).toList();
        if (made.isEmpty()) {
            List<String> elsewhere = history.environments().stream().filter(k -> k.pipeline().equals(pipeline))
                    .flatMap(k -> history.list(pipeline, k.environment()).stream())
                    .filter(r -> r.build() == build).map(r -> r.environment() + " release " + r.number()).toList();
            return refused("build #" + build + " of " + pipeline + " made no release of " + environment
                    + (elsewhere.isEmpty() ? ": deploy it with a build that has a deploy job for " + environment
                    : " (it made " + String.join(", ", elsewhere) + "); a release is promoted within its"
                    + " environment: run a build whose deploy job targets " + environment));
        }
        Release release = made.get(0);
        return run(pipeline, environment, "deploy of build #" + build, "deploy of build #" + build + " (release "
                + release.number() + ") to " + pipeline + "/" + environment, () -> rolledBack(deployments.rollback(pipeline, environment, release.number(),
                line -> log.info(pipeline + "/" + environment + ": " + line,
                        ServerLog.About.environment(pipeline, environment)))));
    }

    /** Stops the live release (its process and proxy); it becomes {@code stopped}. */
    public Result stop(String pipeline, String environment) {
        return run(pipeline, environment, "stop", "stop of " + pipeline + "/" + environment, () -> {
            Release stopped = deployments.stop(pipeline, environment);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("release", stopped.number());
            d.put("status", stopped.status().wireName());
            return new Result(true, false, "release " + stopped.number() + " of " + environment + " is stopped", d);
        });
    }

    private static Result rolledBack(Deployments.RollbackResult r) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("release", r.target());
        d.put("live", r.live());
        d.put("serving", r.serving());
        d.put("reason", r.reason());
        String message = r.live() ? "release " + r.target() + " is live"
                : "release " + r.target() + " did not go live: " + r.reason() + "; "
                + (r.serving() == null ? "nothing serves" : "release " + r.serving() + " serves");
        return new Result(true, false, message, d);
    }

    /**
     * Runs {@code action} unless one is already under way in the environment: a double click or a reloaded page
     * must not queue a second rollback that goes one release further back.
     */
    private Result run(String pipeline, String environment, String kind, String what, Callable<Result> action) {
        List<String> key = List.of(pipeline, environment);
        synchronized (pending) {
            String busy = pending.get(key);
            if (busy != null) {
                return refused("a " + busy + " of " + environment + " is already under way: follow it in the"
                        + " environment's releases");
            }
            pending.put(key, kind);
        }
        try {
            return run(what, () -> {
                try {
                    return action.call();
                } finally {
                    synchronized (pending) {
                        pending.remove(key);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            synchronized (pending) {
                pending.remove(key); // never submitted (closed): nothing is under way
            }
            throw e;
        }
    }

    private Result run(String what, Callable<Result> action) {
        Future<Result> f = actions.submit(() -> {
            try {
                Result r = action.call();
                log.info(what + ": " + r.message());
                return new Result(r.done(), r.refused(), what + ": " + r.message(), r.details());
            } catch (DeployException e) {
                return refused(e.getMessage());
            } catch (Exception e) {
                log.warn(what + " failed: " + dev.gantry.record.Failures.describe(e));
                throw e;
            }
        });
        try {
            return f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new Result(false, false, what + " goes on: follow it in the environment's releases", Map.of());
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, false, what + " goes on", Map.of());
        }
    }

    private static Result refused(String message) {
        return new Result(true, true, message, Map.of());
    }

    @Override
    public void close() {
        actions.shutdown();
    }
}
