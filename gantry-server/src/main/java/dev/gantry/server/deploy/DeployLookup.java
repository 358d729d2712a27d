package dev.gantry.server.deploy;

import dev.gantry.core.deploy.Release;
import dev.gantry.server.http.ApiException;
import dev.gantry.store.Store;
import io.javalin.http.Context;
import java.util.List;

/** Finds what a request's path names ({@code {pipeline}}, {@code {environment}}, {@code {number}}), or answers 404. */
public final class DeployLookup {

    private final Store store;
    private final Environments environments;

    public DeployLookup(Store store, Environments environments) {
        this.store = store;
        this.environments = environments;
    }

    /** A registered pipeline, or one whose {@code gantry run} deploys are in the store. */
    public String pipeline(Context ctx) {
        String name = ctx.pathParam("pipeline");
        if (store.pipelines().find(name).isEmpty() && !environments.hasReleases(name)) {
            throw ApiException.notFound("pipeline '" + name + "'");
        }
        return name;
    }

    /** An environment with at least one release; the 404 names the ones that have some. */
    public String environment(Context ctx, String pipeline) {
        String env = ctx.pathParam("environment");
        List<String> known = environments.names(pipeline);
        if (!known.contains(env)) {
            throw new ApiException(404, "environment '" + env + "' of pipeline '" + pipeline + "' has no releases"
                    + (known.isEmpty() ? " (no environment of it has any yet)"
                    : " (environments with releases: " + String.join(", ", known) + ")"));
        }
        return env;
    }

    public Release release(Context ctx) {
        String pipeline = pipeline(ctx);
        String env = environment(ctx, pipeline);
        int number;
        try {
            number = Integer.parseInt(ctx.pathParam("number"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("release number '" + ctx.pathParam("number") + "' is not a number");
        }
        return environments.find(pipeline, env, number).orElseThrow(() ->
                ApiException.notFound("release " + number + " of " + pipeline + "/" + env));
    }
}
