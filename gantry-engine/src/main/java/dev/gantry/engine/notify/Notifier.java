package dev.gantry.engine.notify;

import dev.gantry.core.notify.Delivery;
import dev.gantry.core.notify.DeliveryLog;
import dev.gantry.core.pipeline.NotifyDef;
import dev.gantry.core.pipeline.SecretRef;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Sends notifications in the background, with retries, and records every attempt. {@link #send} only queues: the
 * caller (a build's listener, the server's supervisor) never waits for a receiver, so a slow or dead endpoint never
 * slows or fails a build. Each delivery (one notification to one channel) is tried up to
 * {@link RetryPolicy#attempts()} times with doubling delays; each attempt is written to the {@link DeliveryLog} as
 * {@code delivered}, {@code failed} (to be retried) or {@code gave_up}, its detail and target free of secrets.
 *
 * <p>One notifier serves a whole process: {@code gantry run} makes one per run, the server one for all builds and
 * for its supervisor's monitor events ({@link Notification#monitor}). {@link #close} waits a bounded time for
 * what is queued.
 */
public final class Notifier implements AutoCloseable {

    private static final String STOPPED = "not retried: Gantry stopped before the next attempt";

    /** The most deliveries waiting at once: past it (receivers down for long), new ones are given up, not queued. */
    static final int MAX_PENDING = 1000;

    private final DeliveryLog log;
    private final RetryPolicy policy;
    private final Clock clock;
    private final Consumer<String> warnings;
    private final Channels channels;
    private final ScheduledThreadPoolExecutor executor;
    /** Deliveries neither delivered nor given up; also the monitor {@link #close} waits on. */
    private final Set<Pending> pending = new java.util.HashSet<>();
    private volatile boolean closing;
    private volatile long drainDeadline;
    private final int maxPending;

    /**
     * @param warnings told when the delivery log itself cannot be written (the store is gone); never told a secret
     */
    public Notifier(DeliveryLog log, RetryPolicy policy, Clock clock, Consumer<String> warnings) {
        this(log, policy, clock, warnings, MAX_PENDING);
    }

    Notifier(DeliveryLog log, RetryPolicy policy, Clock clock, Consumer<String> warnings, int maxPending) {
        this.maxPending = maxPending;
        this.log = log;
        this.policy = policy;
        this.clock = clock;
        this.warnings = warnings;
        this.channels = new Channels(HttpClient.newBuilder().connectTimeout(policy.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build(), policy);
        this.executor = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "gantry-notify");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    public Notifier(DeliveryLog log, Consumer<String> warnings) {
        this(log, RetryPolicy.DEFAULT, Clock.systemUTC(), warnings);
    }

    /**
     * Queues {@code notification} for every channel of {@code channels} whose {@code on} lists its event, and
     * returns at once. {@code secrets} is asked for the channels' secret values when each attempt is made, on the
     * notifier's thread; a secret without a value gives the delivery up (recorded), it never throws here.
     *
     * @return how many deliveries were queued (channels that take this event)
     */
    public int send(List<NotifyDef> channels, Notification notification, Function<SecretRef, String> secrets) {
        int queued = 0;
        for (NotifyDef def : channels) {
            if (!def.on().contains(notification.event())) {
                continue;
            }
            Pending p = new Pending(UUID.randomUUID().toString(), def, notification, secrets);
            boolean full;
            synchronized (pending) {
                full = pending.size() >= maxPending;
                if (!full) {
                    pending.add(p);
                }
            }
            if (full) {
                p.done.set(true);
                record(p, 0, def.channel().yamlName(), p.target, "gave_up", "not sent: " + maxPending
                        + " deliveries are already waiting (are the receivers down?)");
                continue;
            }
            if (closing) {
                finish(p, 0, def.channel().yamlName(), p.target, "gave_up", "not sent: Gantry was stopping");
                continue;
            }
            schedule(p, 1, Duration.ZERO);
            queued++;
        }
        return queued;
    }

    private void schedule(Pending p, int attempt, Duration delay) {
        long due = System.nanoTime() + delay.toNanos();
        if (closing && due - drainDeadline > 0) {
            finish(p, attempt - 1, p.def.channel().yamlName(), p.target, "gave_up", STOPPED);
            return;
        }
        try {
            executor.schedule(() -> attempt(p, attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            finish(p, attempt - 1, p.def.channel().yamlName(), p.target, "gave_up", STOPPED);
        }
    }

    private void attempt(Pending p, int attempt) {
        if (p.done.get()) {
            return;
        }
        p.attempts = attempt;
        String kind = p.def.channel().yamlName();
        Mask mask = new Mask();
        String target = p.target;
        try {
            Channels.Resolved resolved;
            try {
                resolved = channels.resolve(p.def, p.secrets);
            } catch (IllegalStateException e) {
                throw new DeliveryException("a secret of " + p.def.path() + " has no value", false);
            }
            mask = resolved.mask();
            target = resolved.channel().target();
            p.target = target;
            String answer = resolved.channel().send(p.notification, p.id);
            finish(p, attempt, kind, target, "delivered", mask.apply(answer));
        } catch (DeliveryException e) {
            String detail = mask.apply(e.getMessage());
            if (e.retryable() && attempt < policy.attempts()) {
                record(p, attempt, kind, target, "failed", detail);
                schedule(p, attempt + 1, policy.delayBefore(attempt + 1));
            } else {
                finish(p, attempt, kind, target, "gave_up", detail);
            }
        } catch (RuntimeException e) {
            finish(p, attempt, kind, target, "gave_up",
                    mask.apply("unexpected " + e.getClass().getSimpleName()));
        }
    }

    private void finish(Pending p, int attempt, String kind, String target, String status, String detail) {
        if (p.done.compareAndSet(false, true)) {
            record(p, attempt, kind, target, status, detail);
            synchronized (pending) {
                pending.remove(p);
                pending.notifyAll();
            }
        }
    }

    private void record(Pending p, int attempt, String kind, String target, String status, String detail) {
        Notification n = p.notification;
        try {
            log.record(new Delivery(p.id, n.pipeline(), kind, target, n.event().yamlName(), n.build(),
                    n.environment(), n.release(), attempt, status, detail, clock.instant()));
        } catch (RuntimeException e) {
            warnings.accept("a notification delivery could not be recorded (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** How many deliveries are neither delivered nor given up yet. */
    public int pending() {
        synchronized (pending) {
            return pending.size();
        }
    }

    /**
     * Stops taking notifications and waits up to {@code drain} until every queued delivery is delivered or given
     * up, retries included; a retry that would only be due after {@code drain} is given up at once instead of
     * waited for, and whatever is still pending at the end is recorded as given up.
     */
    public void close(Duration drain) {
        drainDeadline = System.nanoTime() + drain.toNanos();
        closing = true;
        try {
            synchronized (pending) {
                long left;
                while (!pending.isEmpty() && (left = drainDeadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(pending, left);
                }
            }
            executor.shutdownNow();
            executor.awaitTermination(policy.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        List<Pending> left;
        synchronized (pending) {
            left = List.copyOf(pending);
        }
        for (Pending p : left) {
            finish(p, p.attempts, p.def.channel().yamlName(), p.target, "gave_up", STOPPED);
        }
    }

    /** {@link #close(Duration)} with ten seconds. */
    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    /** One notification on its way to one channel. */
    private static final class Pending {
        final String id;
        final NotifyDef def;
        final Notification notification;
        final Function<SecretRef, String> secrets;
        final AtomicBoolean done = new AtomicBoolean();
        volatile int attempts;
        volatile String target;

        Pending(String id, NotifyDef def, Notification notification, Function<SecretRef, String> secrets) {
            this.id = id;
            this.def = def;
            this.notification = notification;
            this.secrets = secrets;
            this.target = Channels.describe(def);
        }
    }
}
