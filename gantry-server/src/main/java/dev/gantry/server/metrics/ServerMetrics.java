package dev.gantry.server.metrics;

import dev.gantry.engine.event.BuildListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/** The server's metrics, scraped by Prometheus at {@code GET /metrics}. */
public final class ServerMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final BatchLatencyHistogram batchLatencies = new BatchLatencyHistogram();

    public ServerMetrics() {
        registry.getPrometheusRegistry().register(batchLatencies);
    }

    public void gauge(String name, String help, Supplier<Number> value) {
        Gauge.builder(name, value).description(help).register(registry);
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
        return registry.scrape();
    }
}
