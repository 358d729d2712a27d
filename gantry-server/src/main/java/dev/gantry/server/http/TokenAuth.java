package dev.gantry.server.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * With a token set ({@code gantry server --token-file}, or {@code GANTRY_SERVER_TOKEN}), every request needs it:
 * API clients send {@code Authorization: Bearer TOKEN}; a browser signs in once at {@code /login}, which keeps it
 * in an HttpOnly cookie. Open without it: {@code /healthz}, {@code /metrics}, the login page, static files, and
 * the webhooks (which prove themselves with their own signatures). Refusals are 401 (JSON) for the API and a
 * redirect to the login page for the UI.
 */
public final class TokenAuth {

    static final String COOKIE = "gantry_token";

    private final byte[] token;

    public TokenAuth(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    public void register(Javalin app) {
        app.before(this::check);
        app.get("/login", ctx -> ctx.contentType("text/html; charset=utf-8")
                .result(page(null, next(ctx.queryParam("next")))));
        app.post("/login", ctx -> {
            String given = ctx.formParam("token");
            if (!matches(given)) {
                ctx.status(401).contentType("text/html; charset=utf-8")
                        .result(page("That token is not this server's.", next(ctx.formParam("next"))));
                return;
            }
            Cookie cookie = new Cookie(COOKIE, given);
            cookie.setHttpOnly(true);
            cookie.setSameSite(SameSite.STRICT);
            cookie.setPath("/");
            ctx.cookie(cookie);
            ctx.redirect(next(ctx.formParam("next")));
        });
    }

    private void check(Context ctx) {
        String path = ctx.path();
        if (path.equals("/healthz") || path.equals("/metrics") || path.equals("/login")
                || path.startsWith("/static/") || path.startsWith("/webjars/") || path.startsWith("/api/webhooks/")) {
            return;
        }
        String header = ctx.header("Authorization");
        String given = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : ctx.cookie(COOKIE);
        if (matches(given)) {
            return;
        }
        if (path.startsWith("/api/")) {
            ctx.status(401).json(Map.of("message", given == null
                    ? "this server needs a token: send 'Authorization: Bearer TOKEN'" : "wrong token"));
        } else {
            ctx.redirect("/login?next=" + URLEncoder.encode(path, StandardCharsets.UTF_8));
        }
        ctx.skipRemainingHandlers();
    }

    private boolean matches(String given) {
        return given != null && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Where to go after signing in: a path on this server, never another site. Browsers drop tabs and newlines
     * from a {@code Location} and read a backslash as {@code /}, so {@code /\t/evil.example} would lead to
     * {@code //evil.example}: a path is followed only if, percent-decoded too, it starts with exactly one
     * {@code /} and holds no backslash, whitespace or control character.
     */
    static String next(String next) {
        if (next == null || !isLocalPath(next)) {
            return "/";
        }
        try {
            return isLocalPath(URLDecoder.decode(next.replace("+", "%2B"), StandardCharsets.UTF_8)) ? next : "/";
        } catch (IllegalArgumentException malformed) {
            return "/";
        }
    }

    private static boolean isLocalPath(String path) {
        if (!path.startsWith("/") || path.startsWith("//") || path.contains("\\")) {
            return false;
        }
        return path.codePoints().noneMatch(c -> Character.isISOControl(c) || Character.isWhitespace(c)
                || Character.isSpaceChar(c));
    }

    private static String page(String error, String next) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in · Gantry</title>"
                + "<link rel=\"stylesheet\" href=\"/static/gantry.css\"></head><body><header>"
                + "<a class=\"brand\" href=\"/\">"
                + "Gantry</a></header><main><h1>Sign in</h1>"
                + (error == null ? "" : "<p class=\"error\">" + error + "</p>")
                + "<form method=\"post\" action=\"/login\"><input type=\"hidden\" name=\"next\" value=\""
                + Escape.html(next) + "\"><label>Token <input type=\"password\" name=\"token\""
                + " id=\"token\" autofocus></label> <button type=\"submit\">Sign in</button></form>"
                + "<p class=\"meta\">The token is the one the server was started with (--token-file or"
                + " GANTRY_SERVER_TOKEN).</p></main></body></html>";
    }
}
