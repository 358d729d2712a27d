package dev.gantry.server.api;

import dev.gantry.core.deploy.Release;
import dev.gantry.server.deploy.DeployLookup;
import dev.gantry.server.deploy.Environments;
import dev.gantry.server.deploy.ReleaseFiles;
import dev.gantry.server.deploy.ReleaseView;
import io.javalin.Javalin;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Environments and releases under {@code /api/pipelines/{pipeline}/environments}, documented in
 * {@code docs/api.md}: what is live, the history, one release with its gate output and logs.
 */
public final class DeployRoutes {

    private final Environments environments;
    private final DeployLookup lookup;

    public DeployRoutes(Environments environments, DeployLookup lookup) {
        this.environments = environments;
        this.lookup = lookup;
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
    }
}
