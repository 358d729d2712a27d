package dev.gantry.server.disk;

import dev.gantry.core.pipeline.Sizes;
import java.util.Optional;

/**
 * How much of the data directory's disk stays free: a share of the disk ({@code 5%}) or a size ({@code 10g}).
 *
 * @param percent the share, or 0 for a size
 * @param bytes   the size, or 0 for a share
 */
public record MinFree(double percent, long bytes) {

    public static final MinFree DEFAULT = new MinFree(5, 0);

    /** {@code 5%}, {@code 0.5%} or a size as caches' limits write it ({@code 10g}, {@code 512m}); empty if neither. */
    public static Optional<MinFree> parse(String text) {
        String t = text.trim();
        if (t.endsWith("%")) {
            try {
                double p = Double.parseDouble(t.substring(0, t.length() - 1));
                return p >= 0 && p < 100 ? Optional.of(new MinFree(p, 0)) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Sizes.parse(t).map(b -> new MinFree(0, b));
    }

    /** The free bytes it asks of a disk of {@code total} bytes. */
    public long of(long total) {
        return bytes > 0 ? bytes : (long) (total * percent / 100);
    }

    @Override
    public String toString() {
        return bytes > 0 ? Sizes.format(bytes) : (percent == Math.floor(percent) ? Long.toString((long) percent)
                : Double.toString(percent)) + "%";
    }
}
