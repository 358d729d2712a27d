package dev.gantry.core.audio;

import java.util.Optional;

/** Limits for one metric: a minimum, a maximum, or both (equal for an exact value such as a sample rate). */
public record Bound(Metric metric, Double min, Double max) {

    /** What is wrong with {@code m} for this bound, or empty when it is within it. */
    public Optional<String> violation(String file, AudioMetrics m) {
        double v = m.value(metric);
        String what = file + ": " + metric.key() + " is " + metric.format(v);
        if (min != null && max != null && min.equals(max)) {
            return v == min ? Optional.empty() : Optional.of(what + ", expected " + metric.format(min));
        }
        if (Double.isNaN(v)) {
            return Optional.of(what + ", expected " + range());
        }
        if (min != null && v < min) {
            return Optional.of(what + ", below the minimum " + metric.format(min));
        }
        if (max != null && v > max) {
            return Optional.of(what + ", above the maximum " + metric.format(max));
        }
        return Optional.empty();
    }

    public String range() {
        if (min != null && max != null) {
            return min.equals(max) ? metric.format(min) : metric.format(min) + " to " + metric.format(max);
        }
        return min != null ? "at least " + metric.format(min) : "at most " + metric.format(max);
    }
}
