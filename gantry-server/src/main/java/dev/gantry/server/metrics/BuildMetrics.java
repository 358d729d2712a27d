package dev.gantry.server.metrics;

import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.event.BuildListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * Feeds the build metrics from one build's events: queue wait, build and task durations by outcome, log lines and
 * bytes, cache use, deploys, and the resource use of its running tasks. Labels stay bounded: the pipeline, the
 * job (never a shard or matrix cell: a task {@code unit[2]} counts as job {@code unit}), outcomes and actions.
 */
final class BuildMetrics implements BuildListener {

    private final ServerMetrics metrics;
    private final String pipeline;
    private final Instant queuedAt;
    private String build = "";

    BuildMetrics(ServerMetrics metrics, String pipeline, Instant queuedAt) {
        this.metrics = metrics;
        this.pipeline = pipeline;
        this.queuedAt = queuedAt;
    }

    @Override
    public void on(BuildEvent event) {
        if (event instanceof BuildEvent.BuildStarted s) {
            build = s.build().id();
            if (queuedAt != null) {
                metrics.queueWait(pipeline, Duration.between(queuedAt, s.at()));
            }
        } else if (event instanceof BuildEvent.TaskFinished t) {
            metrics.taskFinished(pipeline, job(t.task()), outcome(t.state().name()), t.duration());
            metrics.taskEnded(build, t.task());
        } else if (event instanceof BuildEvent.BuildFinished b) {
            metrics.buildDuration(pipeline, outcome(b.state().name()), b.duration());
        } else if (event instanceof BuildEvent.LogLine l) {
            metrics.logLine(pipeline, l.line().getBytes(StandardCharsets.UTF_8).length + 1);
        } else if (event instanceof BuildEvent.ServiceLog l) {
            metrics.logLine(pipeline, l.line().getBytes(StandardCharsets.UTF_8).length + 1);
        } else if (event instanceof BuildEvent.CacheUsed c) {
            metrics.cacheUsed(pipeline, c.action(), c.bytes(), c.took());
        } else if (event instanceof BuildEvent.DeployFinished d) {
            metrics.deployed(pipeline, d.environment(), d.outcome());
        } else if (event instanceof BuildEvent.TelemetrySampled t) {
            metrics.sampled(build, t.task(), pipeline, job(t.task()), t.sample());
        }
    }

    /** The job of a task: {@code unit[2]} and {@code e2e[os=linux]} are jobs {@code unit} and {@code e2e}. */
    static String job(String task) {
        int bracket = task.indexOf('[');
        return bracket < 0 ? task : task.substring(0, bracket);
    }

    private static String outcome(String state) {
        return state.toLowerCase(java.util.Locale.ROOT);
    }
}
