package dev.gantry.server.metrics;

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

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }
}
