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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code POST /api/webhooks/github} and {@code /api/webhooks/gitlab}: a delivery signed with a pipeline's secret
 * makes the server check that pipeline at once. The signature says which pipeline it is for ({@code ?pipeline=}
 * narrows it to one); a missing or wrong one is refused with 401, triggers nothing and is logged. A signed delivery
 * whose id (GitHub's {@code X-GitHub-Delivery}, GitLab's {@code X-Gitlab-Event-UUID} or {@code Idempotency-Key})
 * was acted on before for the same pipeline, within {@link #KEEP_DELIVERIES}, is a replay: answered 200 as a
 * duplicate, it triggers nothing.
 */
public final class WebhookRoutes {

    /** How long a delivery's id is remembered; GitHub redelivers up to three days back. */
    static final Duration KEEP_DELIVERIES = Duration.ofDays(30);
    static final int MAX_DELIVERY_ID = 255;

    private final Store store;
    private final Poller poller;
    private final ServerMetrics metrics;
    private final ServerLog log;
    private final Clock clock;

    public WebhookRoutes(Store store, Poller poller, ServerMetrics metrics, ServerLog log, Clock clock) {
        this.clock = clock;
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
        String delivery = deliveryId(ctx, provider);
        // GitHub signs the body but not the delivery id: a replay with the id changed or dropped is known by its body
        String signedBody = provider.equals("github") ? "sha256:" + HexFormat.of().formatHex(sha256(ctx.bodyAsBytes()))
                : null;
        Instant now = clock.instant();
        List<PipelineRow> fresh = matched.stream()
                .filter(p -> firstTime(p, provider, delivery, now) & firstTime(p, provider + "-body", signedBody, now))
                .toList();
        if (fresh.isEmpty()) {
            String which = delivery != null ? "delivery " + delivery : "this signed body";
            metrics.webhook(provider, "duplicate");
            log.info("webhook " + provider + " " + which + " ignored: a duplicate of one already handled");
            ctx.status(200).json(Map.of("message", "duplicate " + which + ": already handled",
                    "duplicate", true, "checking", List.of()));
            return;
        }
        metrics.webhook(provider, "accepted");
        fresh.forEach(p -> {
            log.info("webhook " + provider + " accepted for " + p.name() + " (" + eventName(ctx, provider)
                    + (delivery != null ? ", delivery " + delivery : "") + ")",
                    ServerLog.About.pipeline(p.name()));
            poller.checkSoon(p.name(), "webhook");
        });
        ctx.status(202).json(Map.of("checking", fresh.stream().map(PipelineRow::name).toList()));
    }

    /** Records a delivery by {@code key} (none: nothing to record); false when it was recorded before. */
    private boolean firstTime(PipelineRow p, String provider, String key, Instant now) {
        return key == null || store.pipelines().recordDelivery(p.name(), provider, key, now, now.minus(KEEP_DELIVERIES));
    }

    private static byte[] sha256(byte[] body) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(body);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The sender's id of this delivery, the same when it is redelivered; null when the sender gave none. */
    private static String deliveryId(Context ctx, String provider) {
        String id = provider.equals("github") ? ctx.header("X-GitHub-Delivery")
                : ctx.header("X-Gitlab-Event-UUID") != null ? ctx.header("X-Gitlab-Event-UUID")
                : ctx.header("Idempotency-Key");
        if (id == null || id.isBlank()) {
            return null;
        }
        if (id.length() > MAX_DELIVERY_ID) {
            throw ApiException.badRequest("the delivery id is too long: " + id.length() + " characters, at most "
                    + MAX_DELIVERY_ID);
        }
        return id.trim();
    }

    private static String eventName(Context ctx, String provider) {
        String event = ctx.header(provider.equals("github") ? "X-GitHub-Event" : "X-Gitlab-Event");
        return event == null ? "event not named" : event;
    }
}
