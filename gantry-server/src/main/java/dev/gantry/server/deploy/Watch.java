package dev.gantry.server.deploy;

import dev.gantry.core.deploy.Release;
import dev.gantry.core.deploy.ReleaseHistory;
import dev.gantry.core.deploy.ReleaseStatus;
import dev.gantry.core.pipeline.DeployDef;
import dev.gantry.core.pipeline.NotifyEvent;
import dev.gantry.core.pipeline.ProbeDef;
import dev.gantry.engine.probe.Probe;
import dev.gantry.engine.probe.ProbeResult;
import dev.gantry.engine.probe.Probes;
import dev.gantry.server.ServerLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The supervision of one live release, one tick at a time (never two at once): a process that died is started
 * again after a backoff while its {@code restart} budget lasts, then the release is marked failed and an alert
 * sent; its {@code monitor} probe runs every period, and {@code failure_threshold} failures in a row send one
 * {@code monitor_failed} and take the configured action; the first pass after that sends {@code monitor_recovered}.
 * Nothing is changed while the environment's deploy lock is held by someone else (a deploy, rollback or stop).
 */
final class Watch {

    private final Release release;
    private final SupervisionPolicy policy;
    private final Context context;
    private final RestartBudget budget;
    private final Probe probe;
    private Instant restartAt;
    private Instant probeAt;
    private Instant startedAt;
    private boolean passedSinceStart;
    private int failures;
    private boolean alerted;
    private volatile boolean ended;
    private final AtomicBoolean rollingBack = new AtomicBoolean();

    /** What every watch shares. */
    record Context(ReleaseRuntime runtime, ReleaseHistory history, HealthBoard health, Alerts alerts, ServerLog log,
                   Clock clock, Duration initialBackoff, Duration backoffCap, Consumer<Runnable> background) {
    }

    Watch(Release release, SupervisionPolicy policy, Context context) {
        this.release = release;
        this.policy = policy;
        this.context = context;
        this.budget = new RestartBudget(policy.restart(), context.initialBackoff(), context.backoffCap());
        DeployDef.Monitor monitor = policy.monitor();
        this.probe = monitor == null ? null : Probes.create(monitor.probe(), policy.target());
        Instant now = context.clock().instant();
        this.probeAt = monitor == null ? null : now.plus(monitor.probe().initialDelay());
    }

    Release release() {
        return release;
    }

    /** Whether supervision gave up on it (failed past its restart budget). */
    boolean ended() {
        return ended;
    }

    void tick() {
        if (ended) {
            return;
        }
        Instant now = context.clock().instant();
        if (!context.runtime().isRunning(release)) {
            if (restartAt != null || down()) {
                crashed(now);
            }
            return;
        }
        restartAt = null;
        if (probe != null && !now.isBefore(probeAt)) {
            probe(now);
        }
    }

    private void crashed(Instant now) {
        if (restartAt == null) {
            if (!budget.allows(now)) {
                giveUp(now);
                return;
            }
            Duration wait = budget.backoff(now);
            restartAt = now.plus(wait);
            warn(name() + " is not running; starting it again in " + wait.toMillis() + " ms ("
                    + (budget.recent() + 1) + " of at most " + budget.policy().max() + " restarts within "
                    + human(budget.policy().within()) + ")");
            return;
        }
        if (now.isBefore(restartAt)) {
            return;
        }
        locked(() -> {
            context.runtime().recoverInterrupted(release.pipeline(), release.environment());
            if (!stillLive() || context.runtime().isRunning(release)) {
                return;
            }
            budget.restarted(context.clock().instant());
            try {
                context.runtime().startAgain(release);
                info(name() + " started again after it stopped");
            } catch (Exception e) {
                warn(name() + " could not be started again: " + e.getMessage());
            }
            restarted();
            restartAt = null;
        });
    }

    private void giveUp(Instant now) {
        locked(() -> {
            context.runtime().recoverInterrupted(release.pipeline(), release.environment());
            if (!stillLive() || context.runtime().isRunning(release)) {
                return;
            }
            int crashes = budget.recent() + 1;
            String reason = "crashed " + (crashes == 1 ? "once" : crashes + " times") + " within "
                    + human(budget.policy().within())
                    + " (restart max " + budget.policy().max() + "): no longer restarted";
            context.runtime().stop(release); // a container's restart policy would keep trying
            context.history().update(current().withStatus(ReleaseStatus.FAILED, now, reason));
            warn(name() + " " + reason);
            if (!alerted) { // this outage already sent its monitor_failed (the monitor's threshold)
                context.alerts().send(NotifyEvent.MONITOR_FAILED, release, reason, policy.notifications());
            }
            ended = true;
        });
    }

    private void probe(Instant now) {
        ProbeDef def = policy.monitor().probe();
        ProbeResult result = probe.check(def.timeout());
        Instant at = context.clock().instant();
        probeAt = at.plus(def.period());
        if (result.success()) {
            passedSinceStart = true;
            context.health().put(release.pipeline(), release.environment(), release.number(),
                    Health.passing(result.detail(), at));
            if (alerted) {
                alerted = false;
                info(name() + " passes its monitor again: " + result.detail());
                context.alerts().send(NotifyEvent.MONITOR_RECOVERED, release, result.detail(), policy.notifications());
            }
            failures = 0;
            return;
        }
        if (startedAt != null && !passedSinceStart && at.isBefore(startedAt.plus(policy.startup()))) {
            return;
        }
        failures++;
        context.health().put(release.pipeline(), release.environment(), release.number(),
                Health.failing(failures, result.detail(), at));
        if (failures == def.failureThreshold() && !alerted) {
            alerted = true;
            String detail = def.describe() + " failed " + failures + " times in a row: " + result.detail();
            warn(name() + " " + detail + "; on_failure: " + policy.monitor().onFailure().yamlName());
            context.alerts().send(NotifyEvent.MONITOR_FAILED, release, detail, policy.notifications());
            act(policy.monitor().onFailure());
        }
    }

    private void act(DeployDef.MonitorAction action) {
        switch (action) {
            case ALERT -> {
            }
            case RESTART -> locked(() -> {
                context.runtime().stop(release);
                try {
                    context.runtime().startAgain(release);
                    info(name() + " restarted by its monitor's on_failure");
                } catch (Exception e) {
                    warn(name() + " could not be restarted: " + e.getMessage());
                }
                restarted();
            });
            case ROLLBACK -> {
                // in the background: the previous release is gated like a deploy. This watch goes on until the
                // release stops being live, so a rollback that cannot happen leaves it supervised.
                if (!rollingBack.compareAndSet(false, true)) {
                    return;
                }
                context.background().accept(() -> {
                    try {
                        String serving = context.runtime().rollback(release);
                        info(name() + " rolled back by its monitor's on_failure: " + serving);
                    } catch (Exception e) {
                        warn(name() + " could not be rolled back: " + e.getMessage());
                    } finally {
                        rollingBack.set(false);
                    }
                });
            }
        }
    }

    /** Failures while it starts again do not count: the deploy gave it {@code startup} to become ready too. */
    private void restarted() {
        startedAt = context.clock().instant();
        passedSinceStart = false;
        failures = 0;
    }

    /**
     * Whether it is down for real: still live and not running, seen under the environment's lock. A deploy,
     * rollback or stop holding the lock is no crash (a replace deploy stops the live release before it starts the
     * candidate), nor is a release that stopped being live meanwhile.
     */
    private boolean down() {
        Optional<AutoCloseable> lock = context.runtime().tryLock(release.pipeline(), release.environment());
        if (lock.isEmpty()) {
            return false;
        }
        try (AutoCloseable held = lock.get()) {
            // a Gantry process killed mid-deploy may have left its candidate running (on the stable port, under
            // replace) and this release stopped: the candidate is stopped and marked failed first
            context.runtime().recoverInterrupted(release.pipeline(), release.environment());
            return stillLive() && !context.runtime().isRunning(release);
        } catch (Exception e) {
            warn(name() + ": " + e.getMessage());
            return false;
        }
    }

    /** Runs {@code change} under the environment's deploy lock, or not at all this tick when someone holds it. */
    private void locked(Runnable change) {
        Optional<AutoCloseable> lock = context.runtime().tryLock(release.pipeline(), release.environment());
        if (lock.isEmpty()) {
            return;
        }
        try (AutoCloseable held = lock.get()) {
            change.run();
        } catch (Exception e) {
            warn(name() + ": " + e.getMessage());
        }
    }

    private boolean stillLive() {
        return current().status() == ReleaseStatus.LIVE;
    }

    private Release current() {
        return context.history().find(release.pipeline(), release.environment(), release.number()).orElse(release);
    }

    private String name() {
        return release.pipeline() + "/" + release.environment() + " release " + release.number();
    }

    static String human(Duration d) {
        if (d.toSeconds() % 3600 == 0 && d.toHours() > 0) {
            return d.toHours() + "h";
        }
        if (d.toSeconds() % 60 == 0 && d.toMinutes() > 0) {
            return d.toMinutes() + "m";
        }
        return d.toSeconds() + "s";
    }

    private void info(String message) {
        context.log().info(message, about());
    }

    private void warn(String message) {
        context.log().warn(message, about());
    }

    private dev.gantry.server.ServerLog.About about() {
        return dev.gantry.server.ServerLog.About.environment(release.pipeline(), release.environment());
    }
}
