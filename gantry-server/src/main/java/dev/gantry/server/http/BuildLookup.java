package dev.gantry.server.http;

import dev.gantry.store.BuildRow;
import dev.gantry.store.PipelineRow;
import dev.gantry.store.Store;
import io.javalin.http.Context;

/** Finds what a request's path names ({@code {pipeline}}, {@code {number}}), or answers 404. */
public final class BuildLookup {

    private final Store store;

    public BuildLookup(Store store) {
        this.store = store;
    }

    public PipelineRow pipeline(Context ctx) {
        String name = ctx.pathParam("pipeline");
        return store.pipelines().find(name).orElseThrow(() -> ApiException.notFound("pipeline '" + name + "'"));
    }

    public BuildRow build(Context ctx) {
        String pipeline = ctx.pathParam("pipeline");
        long number;
        try {
            number = Long.parseLong(ctx.pathParam("number"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("build number '" + ctx.pathParam("number") + "' is not a number");
        }
        return store.builds().find(pipeline, number)
                .orElseThrow(() -> ApiException.notFound("build " + pipeline + " #" + number));
    }

    /** A task of the build, by name; 404 when the build has no such task. */
    public String task(Context ctx, BuildRow build) {
        String task = ctx.pathParam("task");
        if (build.tasks().stream().noneMatch(t -> t.name().equals(task))) {
            throw ApiException.notFound("task '" + task + "' of build " + build.pipeline() + " #" + build.number());
        }
        return task;
    }

    public static int intParam(Context ctx, String name, int def, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return def;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw ApiException.badRequest("'" + name + "' must be from " + min + " to " + max + ", found " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'" + name + "' must be a number, found '" + v + "'");
        }
    }
}
