package dev.gantry.server.ui;

import dev.gantry.core.deploy.Release;
import dev.gantry.core.notify.DeliveryLog;
import dev.gantry.server.deploy.DeployActions;
import dev.gantry.server.deploy.DeployLookup;
import dev.gantry.server.deploy.Environments;
import dev.gantry.server.deploy.ReleaseFiles;
import dev.gantry.server.deploy.ReleaseView;
import dev.gantry.server.http.ApiException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;

/**
 * The deploy pages: a pipeline's environments (what is live, its health, the history, a rollback button), one
 * release (its gate output and its service's log), and the notifications sent.
 */
public final class EnvironmentPages {

    static final int DELIVERIES = 20;
    static final int ALL_DELIVERIES = 500;

    private final DeployLookup lookup;
    private final Environments environments;
    private final DeliveryLog deliveries;
    private final Pages pages;
    private final DeployActions actions;

    EnvironmentPages(DeployLookup lookup, Environments environments, DeliveryLog deliveries, DeployActions actions,
                     Pages pages) {
        this.lookup = lookup;
        this.actions = actions;
        this.environments = environments;
        this.deliveries = deliveries;
        this.pages = pages;
    }

    /** How a page is rendered: the UI's one template engine. */
    interface Pages {
        void render(Context ctx, String template, Object page);
    }

    void register(Javalin app) {
        app.get("/pipelines/{pipeline}/environments", ctx -> render(ctx, lookup.pipeline(ctx), null));
        app.post("/pipelines/{pipeline}/environments/{environment}/rollback", this::rollback);
        app.get("/pipelines/{pipeline}/environments/{environment}/releases/{number}", this::releasePage);
        app.get("/notifications", ctx -> {
            String pipeline = ctx.queryParam("pipeline");
            pages.render(ctx, "notifications.jte", new Views.NotificationsPage(
                    pipeline == null || pipeline.isBlank() ? null : pipeline,
                    deliveries.recent(pipeline == null || pipeline.isBlank() ? null : pipeline, ALL_DELIVERIES)));
        });
    }

    void render(Context ctx, String pipeline, String message) {
        List<Views.EnvironmentSection> sections = environments.of(pipeline).stream()
                .map(v -> new Views.EnvironmentSection(v, environments.history(pipeline, v.environment()))).toList();
        pages.render(ctx, "environments.jte", new Views.EnvironmentsPage(pipeline, sections,
                deliveries.recent(pipeline, DELIVERIES), message));
    }

    /** The rollback button: the page again, saying what the rollback did (or that it goes on). */
    private void rollback(Context ctx) {
        String pipeline = lookup.pipeline(ctx);
        String env = lookup.environment(ctx, pipeline);
        String to = ctx.formParam("to");
        Integer target;
        try {
            target = to == null || to.isBlank() ? null : Integer.valueOf(to.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("release number '" + to + "' is not a number");
        }
        DeployActions.Result r = actions.rollback(pipeline, env, target);
        ctx.status(r.refused() ? 409 : r.done() ? 200 : 202);
        render(ctx, pipeline, r.message());
    }

    private void releasePage(Context ctx) {
        Release r = lookup.release(ctx);
        ReleaseFiles files = environments.files(r);
        pages.render(ctx, "release.jte", new Views.ReleasePage(ReleaseView.of(r), files.exists(),
                files.gateOutput().orElse(null), files.serviceLog().orElse(null)));
    }
}
