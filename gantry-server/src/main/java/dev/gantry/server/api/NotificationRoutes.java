package dev.gantry.server.api;

import dev.gantry.core.notify.DeliveryLog;
import dev.gantry.server.http.BuildLookup;
import io.javalin.Javalin;

/** {@code GET /api/notifications}: every delivery attempt of every notification, newest first. */
public final class NotificationRoutes {

    static final int MAX = 1000;

    private final DeliveryLog deliveries;

    public NotificationRoutes(DeliveryLog deliveries) {
        this.deliveries = deliveries;
    }

    public void register(Javalin app) {
        app.get("/api/notifications", ctx -> {
            String pipeline = ctx.queryParam("pipeline");
            ctx.json(deliveries.recent(pipeline == null || pipeline.isBlank() ? null : pipeline,
                    BuildLookup.intParam(ctx, "limit", 100, 1, MAX)));
        });
    }
}
