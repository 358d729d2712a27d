package dev.gantry.core.batch;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** What a batch's service URL may be ({@code url:} in a pipeline, {@code --url} on the command line): one rule. */
public final class BatchUrl {

    private BatchUrl() {
    }

    /** Why {@code url} cannot be a batch's target, or null when it can: {@code http(s)://host[:port][/prefix]}. */
    public static String problem(String url) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return "it must start with http:// or https://";
            } else if (u.getHost() == null) {
                return "it has no host";
            } else if (u.getRawUserInfo() != null) {
                return "credentials in a url end up in logs; send them in request.headers";
            } else if (u.getRawQuery() != null || u.getRawFragment() != null) {
                return "request paths are appended to it, so it takes no '?' query or '#' fragment";
            }
            return null;
        } catch (URISyntaxException e) {
            return e.getReason();
        }
    }

    /** The URL without trailing slashes, as each request's path (which starts with '/') is appended to it. */
    public static String normalized(String url) {
        return url.trim().replaceAll("/+$", "");
    }
}
