package dev.gantry.core.audio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks files against bounds and relations between them. Pure: the caller reads the files; a file that cannot be
 * decoded fails with its own message while the others are still checked.
 */
public final class AudioCheck {

    /** One file's outcome: its metrics (null when it could not be read) and what is wrong with it. */
    public record FileResult(String file, AudioMetrics metrics, List<String> failures) {

        public boolean passed() {
            return failures.isEmpty();
        }
    }

    /** Every checked file, in order, and the failed comparisons. */
    public record Result(List<FileResult> files, List<String> comparisonFailures) {

        public List<String> failures() {
            List<String> all = new ArrayList<>();
            files.forEach(f -> all.addAll(f.failures()));
            all.addAll(comparisonFailures);
            return all;
        }
    }

    private AudioCheck() {
    }

    /**
     * @param checked files to check against {@code bounds}, by name, in order
     * @param others  further files that only {@code comparisons} refer to
     */
    public static Result evaluate(Map<String, byte[]> checked, Map<String, byte[]> others, List<Bound> bounds,
                                  List<Comparison> comparisons) {
        Map<String, AudioMetrics> measured = new LinkedHashMap<>();
        List<FileResult> results = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : checked.entrySet()) {
            List<String> failures = new ArrayList<>();
            AudioMetrics m = measure(e.getKey(), e.getValue(), failures);
            if (m != null) {
                measured.put(e.getKey(), m);
                bounds.forEach(b -> b.violation(e.getKey(), m).ifPresent(failures::add));
            }
            results.add(new FileResult(e.getKey(), m, failures));
        }
        List<String> comparisonFailures = new ArrayList<>();
        for (Comparison c : comparisons) {
            Optional<AudioMetrics> a = lookup(c.a(), measured, others, comparisonFailures);
            Optional<AudioMetrics> b = lookup(c.b(), measured, others, comparisonFailures);
            if (a.isPresent() && b.isPresent()) {
                c.violation(a.get(), b.get()).ifPresent(comparisonFailures::add);
            }
        }
        return new Result(results, comparisonFailures);
    }

    private static Optional<AudioMetrics> lookup(String file, Map<String, AudioMetrics> measured,
                                                 Map<String, byte[]> others, List<String> failures) {
        if (measured.containsKey(file)) {
            return Optional.of(measured.get(file));
        }
        byte[] bytes = others.get(file);
        if (bytes == null) {
            failures.add(file + ": no such file to compare");
            return Optional.empty();
        }
        AudioMetrics m = measure(file, bytes, failures);
        if (m != null) {
            measured.put(file, m);
        }
        return Optional.ofNullable(m);
    }

    private static AudioMetrics measure(String file, byte[] bytes, List<String> failures) {
        try {
            return AudioMetrics.measure(WavReader.read(file, bytes));
        } catch (AudioFormatException e) {
            failures.add(e.getMessage());
            return null;
        } catch (RuntimeException e) {
            // a malformation the reader does not name yet stays this file's failure, never the whole check's
            failures.add(file + ": cannot be read as a WAV file: its chunks are inconsistent");
            return null;
        }
    }
}
