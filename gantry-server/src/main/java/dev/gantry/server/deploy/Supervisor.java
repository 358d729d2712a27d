package dev.gantry.server.deploy;

import dev.gantry.core.deploy.Release;
import dev.gantry.core.deploy.ReleaseHistory;
import dev.gantry.record.Failures;
import dev.gantry.server.ServerLog;
import dev.gantry.server.Threads;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Under {@code gantry server}, keeps the live release of every environment running and watched. It follows the
 * release history: a release that becomes live (a deploy, a rollback) is watched from the next reconcile, one that
 * stops being live is let go (never stopped: its deploy does that). At start it adopts the live releases a previous
 * server left running (never a second copy, never a restart) and starts those that died. Closing it stops the
 * watching, never the releases: they outlive the server.
 */
public final class Supervisor implements AutoCloseable {

    private final ReleaseHistory history;
    private final ReleaseRuntime runtime;
    private final ServerLog log;
    private final Settings settings;
    private final Watch.Context context;
    private final ScheduledExecutorService timer;
    private final ExecutorService background = Executors.newCachedThreadPool(Threads.daemon("gantry-rollback"));
    private final Map<Key, Watched> watched = new HashMap<>();
    private final Set<Key> letGo = new HashSet<>();

    /**
     * How often it looks.
     *
     * @param tick           how often the history is read and each live release's process checked
     * @param initialBackoff the wait before the first crash restart; each further one within the window doubles it
     * @param backoffCap     the longest wait between crash restarts
     * @param threads        how many releases may be checked (or started again) at the same time
     */
    public record Settings(Duration tick, Duration initialBackoff, Duration backoffCap, int threads) {

        public static final Settings STANDARD = new Settings(Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofMinutes(1), 4);
    }

    private record Key(String pipeline, String environment, int release) {
        static Key of(Release r) {
            return new Key(r.pipeline(), r.environment(), r.number());
        }
    }

    private record Watched(Watch watch, ScheduledFuture<?> ticks) {
    }

    public Supervisor(ReleaseHistory history, ReleaseRuntime runtime, HealthBoard health, Alerts alerts,
                      ServerLog log, Clock clock, Settings settings) {
        this.history = history;
        this.runtime = runtime;
        this.log = log;
        this.settings = settings;
        this.timer = Executors.newScheduledThreadPool(settings.threads(), Threads.daemon("gantry-supervise"));
        this.context = new Watch.Context(runtime, history, health, alerts, log, clock, settings.initialBackoff(),
                settings.backoffCap(), background::execute);
    }

    /** Adopts or starts what is live, then follows the history. */
    public void start() {
        timer.scheduleWithFixedDelay(this::reconcile, 0, settings.tick().toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void reconcile() {
        try {
            Map<Key, Release> live = new HashMap<>();
            for (ReleaseHistory.EnvironmentKey env : history.environments()) {
                history.live(env.pipeline(), env.environment()).ifPresent(r -> live.put(Key.of(r), r));
            }
            watched.entrySet().removeIf(e -> {
                // a schedule that ended without being cancelled here is watched again below
                if (live.containsKey(e.getKey()) && !e.getValue().watch().ended()
                        && !e.getValue().ticks().isDone()) {
                    return false;
                }
                e.getValue().ticks().cancel(false);
                context.health().forget(e.getKey().pipeline(), e.getKey().environment(), e.getKey().release());
                if (e.getValue().watch().ended()) {
                    letGo.add(e.getKey());
                }
                return true;
            });
            letGo.retainAll(live.keySet());
            for (Map.Entry<Key, Release> e : live.entrySet()) {
                if (!watched.containsKey(e.getKey()) && !letGo.contains(e.getKey())) {
                    try {
                        watch(e.getValue());
                    } catch (Throwable t) { // one environment's trouble does not stop the others' supervision
                        warn(e.getValue(), name(e.getValue()) + " cannot be supervised this time: "
                                + Failures.describe(t));
                    }
                }
            }
        } catch (Throwable t) { // an escaping throwable would cancel the schedule silently
            log.warn("supervision could not read the release history: " + Failures.describe(t));
        }
    }

    private void watch(Release r) {
        Key key = Key.of(r);
        Optional<SupervisionPolicy> policy;
        try {
            policy = runtime.policy(r);
        } catch (RuntimeException e) {
            policy = Optional.empty();
            warn(r, name(r) + " cannot be supervised: " + e.getMessage());
        }
        if (policy.isEmpty()) {
            warn(r, name(r) + " is live but its directory is gone: not supervised");
            letGo.add(key);
            return;
        }
        if (runtime.isRunning(r)) {
            info(r, name(r) + " is running: supervising it");
        }
        Watch w = new Watch(r, policy.get(), context);
        ScheduledFuture<?> ticks = timer.scheduleWithFixedDelay(() -> tick(w), 0, settings.tick().toMillis(),
                TimeUnit.MILLISECONDS);
        watched.put(key, new Watched(w, ticks));
    }

    private void tick(Watch w) {
        try {
            w.tick();
        } catch (Throwable t) { // an escaping throwable would cancel this release's schedule silently
            warn(w.release(), name(w.release()) + ": supervision failed this time: " + Failures.describe(t));
        }
    }

    private static String name(Release r) {
        return r.pipeline() + "/" + r.environment() + " release " + r.number();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        background.shutdown(); // a rollback under way finishes (its threads are daemons): it is not cut in half
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void info(Release r, String message) {
        log.info(message, ServerLog.About.environment(r.pipeline(), r.environment()));
    }

    private void warn(Release r, String message) {
        log.warn(message, ServerLog.About.environment(r.pipeline(), r.environment()));
    }
}
