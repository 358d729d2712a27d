package dev.gantry.server.trigger;

import dev.gantry.record.Failures;
import dev.gantry.server.ServerLog;
import dev.gantry.server.Threads;
import dev.gantry.store.PipelineRow;
import dev.gantry.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Checks each registered pipeline every {@code check_every} (never more often than {@link #MIN_CHECK_EVERY}), and
 * at once when asked (a webhook, a new pipeline, a manual check). Checks run on a small pool, never more than one of
 * the same pipeline at once. A tick or a check that fails (the database away for a moment) is logged and the next
 * one runs as usual: polling never stops for good.
 */
public final class Poller implements AutoCloseable {

    static final Duration TICK = Duration.ofMillis(200);
    /** The shortest interval between two polls of one repository: a shorter one would keep a core busy. */
    public static final Duration MIN_CHECK_EVERY = Duration.ofSeconds(1);

    private final Store store;
    private final Checker checker;
    private final Clock clock;
    private final ServerLog log;
    private final Map<String, Instant> due = new ConcurrentHashMap<>();
    private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();
    private final Map<String, String> reasons = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Threads.daemon("gantry-poll"));
    private final ExecutorService checks = Executors.newFixedThreadPool(2, Threads.daemon("gantry-check"));

    public Poller(Store store, Checker checker, Clock clock, ServerLog log) {
        this.store = store;
        this.checker = checker;
        this.clock = clock;
        this.log = log;
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Checks the pipeline as soon as a checker is free, whatever its schedule says.
     *
     * @param trigger what builds it queues are recorded as triggered by: {@code webhook}, {@code manual}
     */
    public void checkSoon(String pipeline, String trigger) {
        reasons.put(pipeline, trigger);
        due.put(pipeline, Instant.MIN);
        timer.execute(this::tick);
    }

    private void tick() {
        try {
            checkDue();
        } catch (RuntimeException e) {
            log.warn("polling failed, trying again in " + TICK.toMillis() + " ms: "
                    + Failures.describe(e));
        }
    }

    private void checkDue() {
        Instant now = clock.instant();
        for (PipelineRow p : store.pipelines().list()) {
            Instant next = due.computeIfAbsent(p.name(), k -> Instant.MIN);
            if (now.isBefore(next) || inFlight.putIfAbsent(p.name(), true) != null) {
                continue;
            }
            Duration every = p.checkEvery().compareTo(MIN_CHECK_EVERY) < 0 ? MIN_CHECK_EVERY : p.checkEvery();
            due.put(p.name(), now.plus(every));
            String trigger = java.util.Objects.requireNonNullElse(reasons.remove(p.name()), "poll");
            try {
                checks.execute(() -> {
                    try {
                        checker.check(p, trigger);
                    } catch (RuntimeException e) {
                        log.warn("check of " + p.name() + " failed: " + Failures.describe(e),
                                ServerLog.About.pipeline(p.name()));
                    } finally {
                        inFlight.remove(p.name());
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                inFlight.remove(p.name()); // closing
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        checks.shutdownNow();
    }
}
