package dev.gantry.server.ui;

import dev.gantry.server.http.Escape;
import java.time.Duration;

/** Small helpers the pages share: escaping, status classes, durations as people read them. */
public final class Html {

    private Html() {
    }

    public static String escape(String s) {
        return Escape.html(s);
    }

    /** {@code timed out} → {@code timed-out}. */
    public static String cssClass(String status) {
        return status == null ? "none" : status.replace(' ', '-');
    }

    public static String duration(Long ms) {
        if (ms == null) {
            return "";
        }
        Duration d = Duration.ofMillis(ms);
        if (d.toMinutes() > 0) {
            return d.toMinutes() + "m " + d.toSecondsPart() + "s";
        }
        return ms >= 10_000 ? d.toSeconds() + "s" : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
    }

    public static String seconds(double s) {
        return String.format(java.util.Locale.ROOT, "%.2fs", s);
    }

    /** An instant in UTC, to the minute: {@code 2026-12-01 04:31 UTC}. */
    public static String time(java.time.Instant at) {
        return at == null ? "" : java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                .withZone(java.time.ZoneOffset.UTC).format(at);
    }

    public static String shortSha(String sha) {
        return sha == null ? "" : sha.substring(0, Math.min(10, sha.length()));
    }

    /** A path segment for a URL: task names hold brackets, commas and equals signs. */
    public static String segment(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    public static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        if (b < 1024 * 1024) {
            return String.format(java.util.Locale.ROOT, "%.1f KiB", b / 1024.0);
        }
        return String.format(java.util.Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024));
    }
}
