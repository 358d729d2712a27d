package dev.gantry.core.audio;

import java.util.Locale;
import java.util.Optional;

/**
 * A relation between one metric of two files: {@code a} at least (or at most) {@code factor} times {@code b}, or
 * {@code a} within {@code factor} (a fraction) of {@code b}. E.g. happy's pitch at least 1.10 times sad's.
 */
public record Comparison(Metric metric, String a, String b, Relation relation, double factor) {

    /** How {@code a} must relate to {@code b}. */
    public enum Relation { AT_LEAST, AT_MOST, WITHIN }

    public Optional<String> violation(AudioMetrics ma, AudioMetrics mb) {
        double va = ma.value(metric);
        double vb = mb.value(metric);
        String f = String.format(Locale.ROOT, "%.2f", factor);
        String left = metric.key() + " of " + a + " (" + metric.format(va) + ")";
        String right = metric.key() + " of " + b + " (" + metric.format(vb) + ")";
        if (Double.isNaN(va) || Double.isNaN(vb)) {
            return Optional.of("cannot compare " + left + " with " + right);
        }
        return switch (relation) {
            case AT_LEAST -> va >= factor * vb ? Optional.empty()
                    : Optional.of(left + " is not at least " + f + " x " + right + " = " + metric.format(factor * vb));
            case AT_MOST -> va <= factor * vb ? Optional.empty()
                    : Optional.of(left + " is not at most " + f + " x " + right + " = " + metric.format(factor * vb));
            case WITHIN -> Math.abs(va - vb) <= factor * Math.abs(vb) ? Optional.empty()
                    : Optional.of(left + " is not within " + Math.round(factor * 100) + "% of " + right);
        };
    }
}
