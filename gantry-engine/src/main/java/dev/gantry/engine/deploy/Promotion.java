package dev.gantry.engine.deploy;

import dev.gantry.core.deploy.Release;
import dev.gantry.core.deploy.ReleaseHistory;
import dev.gantry.core.deploy.ReleaseStatus;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.service.PortAllocator;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Makes one release the live one of its environment, by its strategy and gated, and when it fails puts the
 * previous good release back: the one procedure behind a deploy and a rollback. Runs under the environment's
 * deploy lock.
 */
final class Promotion {

    /**
     * How it ended.
     *
     * @param outcome {@code succeeded}, {@code failed} or {@code rolled_back}
     * @param serving the release serving now, or null
     * @param reason  why {@code next} did not go live, or null
     */
    record Result(String outcome, Integer serving, String reason) {

        boolean succeeded() {
            return outcome.equals("succeeded");
        }
    }

    private final ReleaseHistory history;
    private final Clock clock;
    private final EnvironmentDirectory env;
    private final Checks checks;
    private final Consumer<String> log;
    private final Swap swap;
    private final Cancellation cancel;
    private final Map<String, String> baseEnv;
    private final UnaryOperator<String> mask;
    private final ReleaseRunners runners;

    /**
     * @param mask hides the build's secret values in a failure's reason, which quotes the candidate's service.log
     *             and goes to the history, the deploy's events and notifications
     */
    Promotion(ReleaseHistory history, Clock clock, EnvironmentDirectory env, Checks checks, Consumer<String> log,
              Cancellation cancel, Map<String, String> baseEnv, UnaryOperator<String> mask, ReleaseRunners runners) {
        this.mask = mask;
        this.runners = runners;
        this.history = history;
        this.clock = clock;
        this.env = env;
        this.checks = checks;
        this.log = log;
        this.cancel = cancel;
        this.baseEnv = baseEnv;
        this.swap = new Swap(env, log, cancel, baseEnv, runners);
    }

    /**
     * @param next           the release to make live, its directory prepared
     * @param record         how to start it (its port is chosen here)
     * @param current        the release live now, or null
     * @param currentBecomes what {@code current} becomes when {@code next} goes live
     * @param fallback       what runs again when {@code next} fails and {@code rollback} is on, or null
     */
    Result promote(Release next, LaunchRecord record, Release current, ReleaseStatus currentBecomes,
                   Release fallback, boolean rollback) throws IOException {
        LaunchRecord rec = placed(record);
        rec.write(env.release(next.number()));
        LaunchRecord old = current == null ? null : recordOf(current);
        Swap.Result r;
        try {
            r = swap.run(old, rec, checks);
        } catch (IOException e) {
            r = new Swap.Result("cannot switch to release " + next.number() + ": " + e.getMessage(),
                    old != null && runners.of(old).isRunning(old));
        }
        r = masked(r);
        if (r.failure() == null) {
            history.update(next.withPort(rec.port()).withStatus(ReleaseStatus.LIVE, clock.instant(), null));
            if (current != null && current.number() != next.number()) {
                history.update(current.withStatus(currentBecomes, clock.instant(),
                        "release " + next.number() + " took its place"));
            }
            log.accept("release " + next.number() + " is live in " + env.environment() + " on port "
                    + rec.stablePort());
            return new Result("succeeded", next.number(), null);
        }
        log.accept(r.failure());
        log.accept("stopping release " + next.number() + "; its service.log and gate.log are kept in "
                + env.release(next.number()));
        runners.of(rec).stop(rec);
        history.update(next.withPort(rec.port()).withStatus(ReleaseStatus.FAILED, clock.instant(), r.failure()));
        if (r.oldServing()) {
            log.accept("release " + current.number() + " kept serving throughout");
            return new Result(rollback ? "rolled_back" : "failed", current.number(), r.failure());
        }
        if (rollback && fallback != null && fallback.number() != next.number()
                && Files.exists(env.release(fallback.number()).resolve(LaunchRecord.FILE))) {
            return rollBack(next, rec, current, fallback, r.failure());
        }
        if (current != null && current.number() != next.number()) {
            history.update(current.withStatus(ReleaseStatus.SUPERSEDED, clock.instant(),
                    "stopped for release " + next.number() + ", which failed"));
        }
        return new Result("failed", null, r.failure());
    }

    private Result rollBack(Release next, LaunchRecord failed, Release current, Release fallback, String why)
            throws IOException {
        log.accept("rolling back to release " + fallback.number());
        LaunchRecord rec = placed(recordOf(fallback).withStrategy(failed.strategy(), failed.stablePort()));
        rec.write(env.release(fallback.number()));
        // a cancelled build still puts the previous release back: checked for readiness only, since the gate's
        // steps would be stopped with the task
        boolean cancelled = cancel.isCancelled();
        if (cancelled) {
            log.accept("the build was cancelled: release " + fallback.number() + " is checked for readiness only");
        }
        Swap.Result r;
        try {
            r = cancelled ? new Swap(env, log, Cancellation.root(), baseEnv, runners).run(null, rec,
                    checks.readinessOnly(Cancellation.root())) : swap.run(null, rec, checks);
        } catch (IOException e) {
            r = new Swap.Result("cannot start release " + fallback.number() + ": " + e.getMessage(), false);
        }
        r = masked(r);
        if (current != null && current.number() != fallback.number()) {
            history.update(current.withStatus(ReleaseStatus.SUPERSEDED, clock.instant(),
                    "stopped for release " + next.number() + ", which failed"));
        }
        if (r.failure() != null) {
            log.accept("the rollback failed too: " + r.failure());
            runners.of(rec).stop(rec);
            history.update(fallback.withPort(rec.port()).withStatus(ReleaseStatus.FAILED, clock.instant(),
                    "rollback after release " + next.number() + " failed: " + r.failure()));
            return new Result("failed", null, why + "; the rollback to release " + fallback.number()
                    + " failed too: " + r.failure());
        }
        history.update(fallback.withPort(rec.port()).withStatus(ReleaseStatus.LIVE, clock.instant(), null));
        log.accept("release " + fallback.number() + " serves again");
        return new Result("rolled_back", fallback.number(), why);
    }

    private Swap.Result masked(Swap.Result r) {
        return r.failure() == null ? r : new Swap.Result(mask.apply(r.failure()), r.oldServing());
    }

    /** The record on the port its strategy gives it: the stable one ({@code replace}) or a fresh one. */
    private static LaunchRecord placed(LaunchRecord r) {
        if (r.blueGreen() || r.stablePort() <= 0) {
            return r.onPort(PortAllocator.allocate());
        }
        return r.onPort(r.stablePort());
    }

    private LaunchRecord recordOf(Release r) throws IOException {
        if (!Files.exists(env.release(r.number()).resolve(LaunchRecord.FILE))) {
            return null;
        }
        return LaunchRecord.read(env.release(r.number()));
    }
}
