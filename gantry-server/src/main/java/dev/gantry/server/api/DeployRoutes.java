package dev.gantry.server.api;

import dev.gantry.core.deploy.Release;
import dev.gantry.server.deploy.DeployActions;
import dev.gantry.server.deploy.DeployLookup;
import dev.gantry.server.deploy.Environments;
import dev.gantry.server.deploy.ReleaseFiles;
import dev.gantry.server.deploy.ReleaseView;
import dev.gantry.server.http.ApiException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Environments and releases under {@code /api/pipelines/{pipeline}/environments}, documented in
 * {@code docs/api.md}: what is live, the history, one release with its gate output and logs; rollback, deploy (a
 * build's release again) and stop.
 */
public final class DeployRoutes {

    private final Environments environments;
    private final DeployLookup lookup;
    private final DeployActions actions;

    public DeployRoutes(Environments environments, DeployLookup lookup, DeployActions actions) {
        this.environments = environments;
        this.lookup = lookup;
        this.actions = actions;
    }

    /** The body of a rollback: the release to put back, or none for the previous good one. */
    public record RollbackBody(Integer to) {
    }

    /** The body of a deploy: the build whose release is deployed again. */
    public record PromoteBody(Long build) {
    }

    public void register(Javalin app) {
        app.get("/api/pipelines/{pipeline}/environments", ctx -> ctx.json(environments.of(lookup.pipeline(ctx))));
        app.get("/api/pipelines/{pipeline}/environments/{environment}", ctx -> {
            String pipeline = lookup.pipeline(ctx);
            ctx.json(environments.view(pipeline, lookup.environment(ctx, pipeline)));
        });
        app.get("/api/pipelines/{pipeline}/environments/{environment}/releases", ctx -> {
            String pipeline = lookup.pipeline(ctx);
            ctx.json(environments.history(pipeline, lookup.environment(ctx, pipeline)));
        });
        app.get("/api/pipelines/{pipeline}/environments/{environment}/releases/{number}", ctx -> {
            Release r = lookup.release(ctx);
            ReleaseFiles files = environments.files(r);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("release", ReleaseView.of(r));
            body.put("kept_on_disk", files.exists());
            body.put("gate_output", files.gateOutput().map(ReleaseFiles.Tail::lines).orElse(null));
            body.put("gate_output_truncated", files.gateOutput().map(ReleaseFiles.Tail::truncated).orElse(false));
            body.put("service_log", files.serviceLog().map(ReleaseFiles.Tail::lines).orElse(null));
            body.put("service_log_truncated", files.serviceLog().map(ReleaseFiles.Tail::truncated).orElse(false));
            ctx.json(body);
        });
        app.post("/api/pipelines/{pipeline}/environments/{environment}/rollback", ctx -> {
            String pipeline = lookup.pipeline(ctx);
            String env = lookup.environment(ctx, pipeline);
            RollbackBody body = ctx.body().isBlank() ? new RollbackBody(null) : ctx.bodyAsClass(RollbackBody.class);
            answer(ctx, actions.rollback(pipeline, env, body == null ? null : body.to()));
        });
        app.post("/api/pipelines/{pipeline}/environments/{environment}/deploy", ctx -> {
            String pipeline = lookup.pipeline(ctx);
            String env = lookup.environment(ctx, pipeline);
            PromoteBody body = ctx.body().isBlank() ? null : ctx.bodyAsClass(PromoteBody.class);
            if (body == null || body.build() == null) {
                throw ApiException.badRequest("the body needs 'build', the number of the build whose release to"
                        + " deploy: {\"build\": 12}");
            }
            answer(ctx, actions.promote(pipeline, env, body.build()));
        });
        app.post("/api/pipelines/{pipeline}/environments/{environment}/stop", ctx -> {
            String pipeline = lookup.pipeline(ctx);
            answer(ctx, actions.stop(pipeline, lookup.environment(ctx, pipeline)));
        });
    }

    /** 200 with the outcome when it ended, 202 while it goes on, 409 when it was refused. */
    static void answer(Context ctx, DeployActions.Result r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", r.message());
        body.put("done", r.done());
        body.putAll(r.details());
        ctx.status(r.refused() ? 409 : r.done() ? 200 : 202).json(body);
    }
}
