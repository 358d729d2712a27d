package dev.gantry.server.api;

import dev.gantry.server.http.ApiException;
import dev.gantry.server.http.BuildLookup;
import dev.gantry.store.SecretCipher;
import dev.gantry.store.SecretVault;
import dev.gantry.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Secrets under {@code /api/secrets} (global) and {@code /api/pipelines/{pipeline}/secrets} (one pipeline's),
 * documented in {@code docs/api.md}. A value goes in and never comes out: lists show names, scopes and times.
 */
public final class SecretRoutes {

    private final SecretVault vault;
    private final BuildLookup lookup;
    private final Clock clock;

    public SecretRoutes(Store store, SecretVault vault, Clock clock) {
        this.vault = vault;
        this.lookup = new BuildLookup(store);
        this.clock = clock;
    }

    /** The body of a PUT: the value, and nothing else. */
    public record SecretBody(String value) {
    }

    public void register(Javalin app) {
        app.get("/api/secrets", ctx -> ctx.json(views(vault.list(null))));
        app.put("/api/secrets/{name}", ctx -> set(ctx, null));
        app.delete("/api/secrets/{name}", ctx -> remove(ctx, null));
        app.get("/api/pipelines/{pipeline}/secrets", ctx -> ctx.json(views(vault.visibleTo(
                lookup.pipeline(ctx).name()))));
        app.put("/api/pipelines/{pipeline}/secrets/{name}", ctx -> set(ctx, lookup.pipeline(ctx).name()));
        app.delete("/api/pipelines/{pipeline}/secrets/{name}", ctx -> remove(ctx, lookup.pipeline(ctx).name()));
    }

    private void set(Context ctx, String pipeline) {
        SecretBody body = ctx.bodyAsClass(SecretBody.class);
        if (body == null || body.value() == null) {
            throw ApiException.badRequest("the body needs 'value': {\"value\": \"...\"}");
        }
        try {
            ctx.json(view(vault.set(pipeline, ctx.pathParam("name"), body.value(), clock.instant())));
        } catch (SecretCipher.SecretException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private void remove(Context ctx, String pipeline) {
        String name = ctx.pathParam("name");
        if (!vault.remove(pipeline, name)) {
            throw ApiException.notFound("secret '" + name + "'" + (pipeline == null ? "" : " of pipeline " + pipeline));
        }
        ctx.status(204);
    }

    private static List<Map<String, Object>> views(List<SecretVault.Entry> entries) {
        return entries.stream().map(SecretRoutes::view).toList();
    }

    private static Map<String, Object> view(SecretVault.Entry e) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", e.name());
        v.put("scope", e.scope());
        v.put("pipeline", e.pipeline());
        v.put("updated_at", e.updatedAt().toString());
        return v;
    }
}
