package dev.gantry.core.pipeline;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints the human durations pipelines use: {@code 500ms}, {@code 90s}, {@code 20m}, {@code 1h30m}. */
public final class Durations {

    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|h|m|s|d))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|h|m|s|d)");

    private Durations() {
    }

    /** The duration, or empty when the text is not of the form {@code 1h30m}. */
    public static Optional<Duration> parse(String text) {
        String t = text.trim();
        if (!WHOLE.matcher(t).matches()) {
            return Optional.empty();
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(t);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        return Optional.of(total);
    }

    /**
     * A short form for people: {@code 0.42s}, {@code 12.3s}, {@code 4m05s}, {@code 1h02m}. Always with a decimal
     * point, whatever the machine's locale, so logs, summaries and tests read the same everywhere.
     */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 10_000) {
            return String.format(Locale.ROOT, "%.2fs", ms / 1000.0);
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
