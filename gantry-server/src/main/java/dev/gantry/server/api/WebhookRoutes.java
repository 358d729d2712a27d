package dev.gantry.server.api;

import dev.gantry.server.ServerLog;
import dev.gantry.server.http.ApiException;
import dev.gantry.server.metrics.ServerMetrics;
import dev.gantry.server.trigger.Poller;
import dev.gantry.server.trigger.WebhookSignatures;
import dev.gantry.store.PipelineRow;
import dev.gantry.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code POST /api/webhooks/github} and {@code /api/webhooks/gitlab}: a delivery signed with a pipeline's secret
 * makes the server check that pipeline at once. The signature says which pipeline it is for ({@code ?pipeline=}
 * narrows it to one); a missing or wrong one is refused with 401, triggers nothing and is logged.
 */
public final class WebhookRoutes {

    private final Store store;
    private final Poller poller;
    private final ServerMetrics metrics;
    private final ServerLog log;

    public WebhookRoutes(Store store, Poller poller, ServerMetrics metrics, ServerLog log) {
        this.store = store;
        this.poller = poller;
        this.metrics = metrics;
        this.log = log;
    }

    public void register(Javalin app) {
        app.post("/api/webhooks/github", ctx -> {
            byte[] body = ctx.bodyAsBytes();
            String signature = ctx.header("X-Hub-Signature-256");
            deliver(ctx, "github", signature == null ? "no X-Hub-Signature-256 header" : "bad signature",
                    p -> WebhookSignatures.github(p.webhookSecret(), body, signature));
        });
        app.post("/api/webhooks/gitlab", ctx -> {
            String token = ctx.header("X-Gitlab-Token");
            deliver(ctx, "gitlab", token == null ? "no X-Gitlab-Token header" : "wrong token",
                    p -> WebhookSignatures.gitlab(p.webhookSecret(), token));
        });
    }

    private void deliver(Context ctx, String provider, String refusal, Predicate<PipelineRow> proves) {
        String only = ctx.queryParam("pipeline");
        List<PipelineRow> matched = store.pipelines().list().stream()
                .filter(p -> p.webhookSecret() != null && (only == null || p.name().equals(only)))
                .filter(proves).toList();
        if (matched.isEmpty()) {
            metrics.webhook(provider, "refused");
            log.warn("webhook " + provider + " refused from " + ctx.ip() + ": " + refusal
                    + (only != null ? " for pipeline " + only : ""));
            throw new ApiException(401, "webhook refused: " + refusal);
        }
        metrics.webhook(provider, "accepted");
        matched.forEach(p -> {
            log.info("webhook " + provider + " accepted for " + p.name() + " (" + eventName(ctx, provider) + ")");
            poller.checkSoon(p.name(), "webhook");
        });
        ctx.status(202).json(Map.of("checking", matched.stream().map(PipelineRow::name).toList()));
    }

    private static String eventName(Context ctx, String provider) {
        String event = ctx.header(provider.equals("github") ? "X-GitHub-Event" : "X-Gitlab-Event");
        return event == null ? "event not named" : event;
    }
}
