package dev.gantry.core.audio;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The metrics an audio check can bound or compare, named as in YAML, with their units for messages. */
public enum Metric {
    SAMPLE_RATE("Hz"), CHANNELS(""), BIT_DEPTH("bits"), DURATION("s"), RMS_DBFS("dBFS"), PEAK_DBFS("dBFS"),
    CLIPPING(""), LEADING_SILENCE("s"), TRAILING_SILENCE("s"), SILENCE_RATIO(""), PITCH_HZ("Hz"), VOICED_RATIO("");

    private final String unit;

    Metric(String unit) {
        this.unit = unit;
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String unit() {
        return unit;
    }

    /** Whether YAML gives this metric's bounds as durations ({@code 500ms}) rather than numbers. */
    public boolean isDuration() {
        return this == DURATION || this == LEADING_SILENCE || this == TRAILING_SILENCE;
    }

    public String format(double v) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "none (no voiced frames)" : (v < 0 ? "-inf" : "inf") + (unit.isEmpty() ? "" : " " + unit);
        }
        String pattern = switch (unit) {
            case "Hz", "dBFS", "bits" -> "%.1f";
            case "s" -> "%.2f";
            default -> v == Math.rint(v) ? "%.0f" : "%.3f";
        };
        String n = String.format(Locale.ROOT, pattern, v);
        return n + (unit.isEmpty() ? "" : " " + unit);
    }

    public static Optional<Metric> of(String key) {
        return Arrays.stream(values()).filter(m -> m.key().equals(key)).findFirst();
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(Metric::key).toList();
    }
}
