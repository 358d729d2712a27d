package dev.gantry.server.metrics;

import dev.gantry.engine.event.BuildListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The server's metrics, scraped by Prometheus at {@code GET /metrics}: builds, tasks, queue, triggers, webhooks,
 * logs, caches, notifications, deploys and environments, batches, running tasks' resources, and the JVM's and the
 * process's own (Micrometer's binders). Names and units follow Prometheus' conventions; labels are bounded
 * (pipelines, jobs, environments, outcomes: never commits, builds or shards). docs/metrics.md lists them.
 */
public final class ServerMetrics {

    /** Buckets of build and task durations: a second to two hours. */
    private static final Duration[] DURATIONS = {Duration.ofSeconds(1), Duration.ofSeconds(5),
        Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
        Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(20), Duration.ofMinutes(30),
        Duration.ofHours(1), Duration.ofHours(2)};
    /** Buckets of queue waits and cache operations: a tenth of a second to an hour. */
    private static final Duration[] WAITS = {Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(5),
        Duration.ofSeconds(15), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
        Duration.ofHours(1)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final BatchLatencyHistogram batchLatencies = new BatchLatencyHistogram();
    private final RunningTasks running = new RunningTasks();
    private final java.util.List<Runnable> beforeScrape = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.Map<String, Counter[]> logCounters = new java.util.concurrent.ConcurrentHashMap<>();

    public ServerMetrics() {
        registry.getPrometheusRegistry().register(batchLatencies);
        // two of the binders' names fail promtool's lint: a duplicate of process_cpu_usage in nanoseconds, and a
        // gauge ending in _count
        registry.config().meterFilter(io.micrometer.core.instrument.config.MeterFilter.deny(id ->
                id.getName().equals("process.cpu.time")));
        registry.config().meterFilter(new io.micrometer.core.instrument.config.MeterFilter() {
            @Override
            public io.micrometer.core.instrument.Meter.Id map(io.micrometer.core.instrument.Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
            }
        });
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.FileDescriptorMetrics().bindTo(registry);
        running.bindTo(registry);
        beforeScrape.add(running::refresh);
    }

    public void gauge(String name, String help, Supplier<Number> value) {
        Gauge.builder(name, value).description(help).register(registry);
    }

    /** A gauge with labels, e.g. a database pool's connections by {@code state}. */
    public void gauge(String name, String help, io.micrometer.core.instrument.Tags tags, Supplier<Number> value) {
        Gauge.builder(name, value).description(help).tags(tags).register(registry);
    }

    /**
     * A gauge whose labelled series are computed afresh at each scrape (series that no longer apply disappear),
     * e.g. each environment's live release.
     */
    public void gauges(String name, String help, String unit,
                       Supplier<java.util.Map<io.micrometer.core.instrument.Tags, Number>> rows) {
        io.micrometer.core.instrument.MultiGauge g = io.micrometer.core.instrument.MultiGauge.builder(name)
                .description(help).baseUnit(unit).register(registry);
        beforeScrape.add(() -> {
            java.util.List<io.micrometer.core.instrument.MultiGauge.Row<?>> list = new java.util.ArrayList<>();
            rows.get().forEach((tags, v) -> list.add(io.micrometer.core.instrument.MultiGauge.Row.of(tags, v)));
            g.register(list, true);
        });
    }

    /** What feeds the build metrics (and the batch ones) from one build's events; attach one to each build. */
    public BuildListener buildListener(String pipeline, java.time.Instant queuedAt) {
        BuildListener builds = new BuildMetrics(this, pipeline, queuedAt);
        BuildListener batches = batchListener(pipeline);
        return event -> {
            builds.on(event);
            batches.on(event);
        };
    }

    void queueWait(String pipeline, Duration waited) {
        Timer.builder("gantry.build.queue.wait").description("How long builds waited in the queue, by pipeline")
                .tag("pipeline", pipeline).serviceLevelObjectives(WAITS).register(registry)
                .record(waited.isNegative() ? Duration.ZERO : waited);
    }

    void buildDuration(String pipeline, String outcome, Duration took) {
        Timer.builder("gantry.build.duration").description("Durations of ended builds, by pipeline and outcome")
                .tag("pipeline", pipeline).tag("outcome", outcome).serviceLevelObjectives(DURATIONS)
                .register(registry).record(took);
    }

    void taskFinished(String pipeline, String job, String outcome, Duration took) {
        Timer.builder("gantry.task.duration").description("Durations of ended tasks, by pipeline, job and outcome")
                .tag("pipeline", pipeline).tag("job", job).tag("outcome", outcome)
                .serviceLevelObjectives(DURATIONS).register(registry).record(took);
    }

    void logLine(String pipeline, long bytes) {
        Counter[] c = logCounters.computeIfAbsent(pipeline, p -> new Counter[] {
            Counter.builder("gantry.log.lines").description("Log lines of steps and services ingested, by pipeline")
                    .tag("pipeline", p).register(registry),
            Counter.builder("gantry.log.ingested").description("Bytes of log lines ingested, by pipeline")
                    .baseUnit("bytes").tag("pipeline", p).register(registry)});
        c[0].increment();
        c[1].increment(bytes);
    }

    /**
     * A cache step's result: {@code restored} (a hit), {@code missed}, {@code saved}, {@code exists} or
     * {@code skipped}; with the archive's bytes and the time it took.
     */
    void cacheUsed(String pipeline, String action, Long bytes, Duration took) {
        Counter.builder("gantry.cache.operations").description("Cache steps, by pipeline and action (restored is a"
                + " hit, missed a miss)").tag("pipeline", pipeline).tag("action", action).register(registry)
                .increment();
        if (bytes != null) {
            Counter.builder("gantry.cache.transferred").description("Bytes of cache archives saved or restored, by"
                    + " action").baseUnit("bytes").tag("pipeline", pipeline).tag("action", action)
                    .register(registry).increment(bytes);
        }
        if (took != null) {
            Timer.builder("gantry.cache.duration").description("Time cache steps took, by action")
                    .tag("pipeline", pipeline).tag("action", action).serviceLevelObjectives(WAITS)
                    .register(registry).record(took);
        }
    }

    void deployed(String pipeline, String environment, String outcome) {
        Counter.builder("gantry.deploys").description("Deploys that ended, by pipeline, environment and outcome"
                + " (succeeded, failed, rolled_back)").tag("pipeline", pipeline).tag("environment", environment)
                .tag("outcome", outcome).register(registry).increment();
    }

    void sampled(String build, String task, String pipeline, String job, dev.gantry.engine.telemetry.Sample s) {
        running.sampled(build, task, pipeline, job, s);
    }

    void taskEnded(String build, String task) {
        running.ended(build, task);
    }

    /** A notification delivery attempt ended: {@code delivered}, {@code failed} (retried) or {@code gave_up} */
    public void notified(String channel, String result) {
        Counter.builder("gantry.notifications").description("Notification delivery attempts, by channel and"
                + " result").tag("channel", channel).tag("result", result).register(registry).increment();
    }

    /** {@code log} with every attempt it records counted as {@link #notified}. */
    public dev.gantry.core.notify.DeliveryLog counting(dev.gantry.core.notify.DeliveryLog log) {
        return new dev.gantry.core.notify.DeliveryLog() {
            @Override
            public void record(dev.gantry.core.notify.Delivery attempt) {
                log.record(attempt);
                notified(attempt.channel(), attempt.status());
            }

            @Override
            public java.util.List<dev.gantry.core.notify.Delivery> recent(String pipeline, int limit) {
                return log.recent(pipeline, limit);
            }
        };
    }

    public void buildStarted() {
        Counter.builder("gantry_builds_started").description("Builds started").register(registry).increment();
    }

    public void buildFinished(String state) {
        Counter.builder("gantry_builds_finished").description("Builds ended, by state").tag("state", state)
                .register(registry).increment();
    }

    /** A check of a pipeline's repository ended, whatever it found: what tests wait on instead of the clock. */
    public void checked(String pipeline) {
        Counter.builder("gantry_checks").description("Checks of a pipeline's repository, by pipeline")
                .tag("pipeline", pipeline).register(registry).increment();
    }

    /** A build was queued: by a poll, a webhook, a manual trigger or a rebuild. */
    public void triggered(String how) {
        Counter.builder("gantry_triggers").description("Builds triggered, by how").tag("trigger", how)
                .register(registry).increment();
    }

    public void webhook(String provider, String outcome) {
        Counter.builder("gantry_webhooks").description("Webhook deliveries, by provider and outcome")
                .tag("provider", provider).tag("outcome", outcome).register(registry).increment();
    }

    public void request(String route, int status, Duration took) {
        Timer.builder("gantry_http_requests").description("HTTP requests served").tag("route", route)
                .tag("status", Integer.toString(status)).publishPercentiles(0.5, 0.99).register(registry).record(took);
    }

    /** What feeds the batch metrics from the events of a build of {@code pipeline}: attach one to each build. */
    public BuildListener batchListener(String pipeline) {
        return new BatchMetrics(this, pipeline);
    }

    /** Items of batch steps that ended, by outcome, and attempts past the first: the growth since the last call. */
    void batchItems(String pipeline, long succeeded, long failed, long retries) {
        items(pipeline, "succeeded").increment(Math.max(0, succeeded));
        items(pipeline, "failed").increment(Math.max(0, failed));
        Counter.builder("gantry_batch_retries").description("Attempts of batch items past the first, by pipeline")
                .tag("pipeline", pipeline).register(registry).increment(Math.max(0, retries));
    }

    private Counter items(String pipeline, String outcome) {
        return Counter.builder("gantry_batch_items").description("Items of batch steps that ended, by pipeline and"
                + " outcome").tag("pipeline", pipeline).tag("outcome", outcome).register(registry);
    }

    /** Latencies of batch items, as counts in {@link dev.gantry.core.batch.Latencies}' buckets and their sum. */
    void batchLatencies(String pipeline, long[] fineCounts, long sumMicros) {
        batchLatencies.add(pipeline, fineCounts, sumMicros);
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        for (Runnable r : beforeScrape) {
            try {
                r.run();
            } catch (RuntimeException e) {
                // one source that cannot be read (the store, say) does not take the others down
            }
        }
        return registry.scrape();
    }
}
