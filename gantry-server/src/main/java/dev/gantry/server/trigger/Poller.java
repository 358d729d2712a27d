package dev.gantry.server.trigger;

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
 * Checks each registered pipeline every {@code check_every}, and at once when asked (a webhook, a new pipeline, a
 * manual check). Checks run on a small pool, never more than one of the same pipeline at once.
 */
public final class Poller implements AutoCloseable {

    static final Duration TICK = Duration.ofMillis(200);

    private final Store store;
    private final Checker checker;
    private final Clock clock;
    private final Map<String, Instant> due = new ConcurrentHashMap<>();
    private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();
    private final Map<String, String> reasons = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Threads.daemon("gantry-poll"));
    private final ExecutorService checks = Executors.newFixedThreadPool(2, Threads.daemon("gantry-check"));

    public Poller(Store store, Checker checker, Clock clock) {
        this.store = store;
        this.checker = checker;
        this.clock = clock;
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
        Instant now = clock.instant();
        for (PipelineRow p : store.pipelines().list()) {
            Instant next = due.computeIfAbsent(p.name(), k -> Instant.MIN);
            if (now.isBefore(next) || inFlight.putIfAbsent(p.name(), true) != null) {
                continue;
            }
            due.put(p.name(), now.plus(p.checkEvery()));
            String trigger = java.util.Objects.requireNonNullElse(reasons.remove(p.name()), "poll");
            checks.execute(() -> {
                try {
                    checker.check(p, trigger);
                } finally {
                    inFlight.remove(p.name());
                }
            });
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        checks.shutdownNow();
    }
}
