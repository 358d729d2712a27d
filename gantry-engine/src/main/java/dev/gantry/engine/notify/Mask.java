package dev.gantry.engine.notify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Hides a channel's secrets in text about a delivery (an error message may quote the URL it tried): each secret is
 * replaced by {@code ***}, a secret URL by its host alone. Used for every detail the delivery log keeps.
 */
final class Mask {

    private final List<String[]> replacements = new ArrayList<>();

    Mask hide(String secret) {
        if (secret != null && secret.length() >= 3) {
            replacements.add(new String[] {secret, "***"});
        }
        return this;
    }

    /** A URL shown as its host only; also hides its path and query, which carry Slack's token. */
    Mask hideUrl(java.net.URI url) {
        replacements.add(new String[] {url.toString(), hostOf(url)});
        hide(url.getRawPath() != null && url.getRawPath().length() > 1 ? url.getRawPath() : null);
        hide(url.getRawQuery());
        hide(url.getRawUserInfo());
        return this;
    }

    String apply(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        List<String[]> longestFirst = new ArrayList<>(replacements);
        longestFirst.sort(Comparator.comparingInt((String[] r) -> r[0].length()).reversed());
        for (String[] r : longestFirst) {
            out = out.replace(r[0], r[1]);
        }
        return out;
    }

    static String hostOf(java.net.URI url) {
        String host = url.getHost() == null ? "?" : url.getHost();
        return url.getPort() > 0 ? host + ":" + url.getPort() : host;
    }
}
