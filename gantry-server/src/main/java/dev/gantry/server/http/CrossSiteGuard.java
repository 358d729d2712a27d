package dev.gantry.server.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Refuses requests that change something (rollback, stop, cancel, a secret) when a browser says another site sent
 * them: {@code Sec-Fetch-Site: cross-site}, or an {@code Origin} that is not this server's. Without it, any page an
 * operator visits could post a form to a server bound to 127.0.0.1 without a token and roll back production.
 * Clients that are not browsers (the CLI, curl, webhooks) send neither header and are not affected.
 */
public final class CrossSiteGuard {

    private static final Set<String> CHANGES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private CrossSiteGuard() {
    }

    public static void register(Javalin app) {
        app.before(CrossSiteGuard::check);
    }

    static void check(Context ctx) {
        if (!CHANGES.contains(ctx.method().name())) {
            return;
        }
        String site = ctx.header("Sec-Fetch-Site");
        String origin = ctx.header("Origin");
        if ("cross-site".equalsIgnoreCase(site) || (origin != null && !sameHost(origin, ctx.host()))) {
            ctx.status(403).json(Map.of("message", "refused: this request came from another site ("
                    + (origin != null ? "Origin " + origin : "Sec-Fetch-Site: cross-site") + "); use Gantry's own"
                    + " pages, the CLI or the API directly"));
            ctx.skipRemainingHandlers();
        }
    }

    /** Whether an {@code Origin} names the host (and port) the request was sent to. */
    private static boolean sameHost(String origin, String host) {
        if (host == null) {
            return false;
        }
        try {
            URI uri = URI.create(origin.trim());
            if (uri.getHost() == null) {
                return false; // "null": a sandboxed frame or a file, never this server's page
            }
            String authority = uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
            return authority.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
