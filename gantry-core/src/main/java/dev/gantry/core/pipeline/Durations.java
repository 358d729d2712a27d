package dev.gantry.core.pipeline;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints the human durations pipelines use: {@code 500ms}, {@code 90s}, {@code 0.5s}, {@code 20m},
 * {@code 1h30m}. A part may have up to three decimals; the total is counted in whole milliseconds.
 */
public final class Durations {

    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:\\.\\d{1,3})?(?:ms|h|m|s|d))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(?:\\.(\\d{1,3}))?(ms|h|m|s|d)");

    private Durations() {
    }

    /**
     * The longest duration a pipeline may write, 365 days: longer is a typo, and keeping durations small keeps
     * every later deadline sum ({@code now + timeout + grace}) far from overflowing.
     */
    public static final Duration MAX = Duration.ofDays(365);

    /** The text {@link #MAX} is written as in messages. */
    public static final String MAX_TEXT = "365d";

    /**
     * The duration, or empty when the text is not of the form {@code 1h30m} or is longer than {@link #MAX}
     * (tell the two apart with {@link #isWellFormed}). Never throws, however many digits are written.
     */
    public static Optional<Duration> parse(String text) {
        String t = text.trim();
        if (!isWellFormed(t)) {
            return Optional.empty();
        }
        long maxMillis = MAX.toMillis();
        long total = 0;
        Matcher m = PART.matcher(t);
        while (m.find()) {
            String digits = m.group(1).replaceFirst("^0+(?=.)", "");
            if (digits.length() > 11) {
                return Optional.empty();
            }
            long unit = switch (m.group(3)) {
                case "ms" -> 1;
                case "s" -> 1000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                default -> 86_400_000;
            };
            total += Long.parseLong(digits) * unit + fraction(m.group(2), unit);
            if (total > maxMillis) {
                return Optional.empty();
            }
        }
        return Optional.of(Duration.ofMillis(total));
    }

    /** The milliseconds {@code decimals} (the digits after the point, or null) of one {@code unit} make. */
    private static long fraction(String decimals, long unit) {
        if (decimals == null) {
            return 0;
        }
        String padded = (decimals + "00").substring(0, 3);
        return Long.parseLong(padded) * unit / 1000;
    }

    /** Whether the text has the form of a duration ({@code 1h30m}), whatever its size. */
    public static boolean isWellFormed(String text) {
        return WHOLE.matcher(text.trim()).matches();
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
