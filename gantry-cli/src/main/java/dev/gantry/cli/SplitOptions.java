package dev.gantry.cli;

import dev.gantry.core.junit.Timings;
import dev.gantry.core.pipeline.Durations;
import dev.gantry.core.split.SplitPlan;
import dev.gantry.core.split.Splitter;
import dev.gantry.engine.record.TimingsStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** How to weigh and split tests, shared by {@code gantry tests split} and {@code gantry tests run}. */
final class SplitOptions {

    @Option(names = "--split-by", defaultValue = "timings", description = "timings (default), name or filesize.")
    String splitBy;

    @Option(names = "--timings-type", defaultValue = "autodetect",
            description = "What the names are: filename, classname, testname or autodetect (default).")
    String timingsType;

    @Option(names = "--time-default", paramLabel = "DURATION",
            description = "Time assumed for tests without timings (default: the mean of the known ones), e.g. 10s.")
    String timeDefault;

    @Option(names = "--timings-file", paramLabel = "FILE",
            description = "The timings history (default: $GANTRY_TIMINGS_FILE, set in every task).")
    Path timingsFile;

    @Option(names = "--index", description = "This shard, 0-based (default: $GANTRY_NODE_INDEX or $CIRCLE_NODE_INDEX).")
    String index;

    @Option(names = "--total", description = "Number of shards, at most 10000 (default: $GANTRY_NODE_TOTAL or "
            + "$CIRCLE_NODE_TOTAL).")
    String total;

    /**
     * The most shards a split plans for: far above any real parallelism (a pipeline job runs at most 256 tasks),
     * low enough that planning never runs out of memory on an absurd {@code --total}.
     */
    static final int MAX_SHARDS = 10_000;

    /** Which shard this is. */
    record Shard(int index, int total) {
    }

    Shard shard(Map<String, String> env) {
        String totalName = total != null ? "--total" : source(env, "GANTRY_NODE_TOTAL", "CIRCLE_NODE_TOTAL");
        String indexName = index != null ? "--index" : source(env, "GANTRY_NODE_INDEX", "CIRCLE_NODE_INDEX");
        int n = number(total != null ? total : env.get(totalName), totalName, 1);
        int i = number(index != null ? index : env.get(indexName), indexName, 0);
        if (n < 1) {
            throw bad(totalName + " is " + n + ": there must be at least 1 shard");
        }
        if (n > MAX_SHARDS) {
            throw bad(totalName + " is " + n + ": gantry splits into at most " + MAX_SHARDS + " shards");
        }
        if (i < 0 || i >= n) {
            throw bad(indexName + " " + i + " is not within " + totalName + " " + n + " shards (0 to " + (n - 1)
                    + ")");
        }
        return new Shard(i, n);
    }

    SplitPlan plan(List<String> items, int shards, Map<String, String> env, PrintStream err) throws IOException {
        return switch (splitBy) {
            case "name" -> Splitter.byName(items, shards);
            case "filesize" -> Splitter.byWeight(items, sizes(items), shards, null);
            case "timings" -> Splitter.byWeight(items, timings(items, env, err), shards, defaultSeconds());
            default -> throw bad("unknown --split-by '" + splitBy + "': use timings, name or filesize");
        };
    }

    /**
     * The estimated seconds of each item from the timings history, warning on {@code err} about stored values that
     * were ignored.
     */
    Map<String, Double> timings(List<String> items, Map<String, String> env, PrintStream err) {
        if (timingsFile != null && !Files.isRegularFile(timingsFile)) {
            throw bad("--timings-file " + timingsFile + " does not exist: check the path, or leave the option "
                    + "out to use $GANTRY_TIMINGS_FILE");
        }
        Path file = timingsFile != null ? timingsFile
                : env.containsKey("GANTRY_TIMINGS_FILE") ? Path.of(env.get("GANTRY_TIMINGS_FILE")) : null;
        if (!splitBy.equals("timings") || file == null || !Files.exists(file)) {
            return new HashMap<>();
        }
        Timings t = read(file);
        if (t.ignored() > 0) {
            err.println("gantry: ignored " + t.ignored() + (t.ignored() == 1 ? " time" : " times") + " in " + file
                    + " that " + (t.ignored() == 1 ? "is" : "are") + " not a finite, non-negative number of seconds");
        }
        Timings.Type type = timingsType.equals("autodetect") ? t.detect(items) : type(timingsType);
        Map<String, Double> estimates = t.estimates(type);
        if (type == Timings.Type.CLASSNAME || timingsType.equals("autodetect")) {
            Map<String, Double> byClass = t.estimates(Timings.Type.CLASSNAME);
            for (String item : items) {
                if (!estimates.containsKey(item)) {
                    classOfFile(item, byClass).ifPresent(k -> estimates.put(item, byClass.get(k)));
                }
            }
        }
        return estimates;
    }

    Double defaultSeconds() {
        if (timeDefault == null) {
            return null;
        }
        return Durations.parse(timeDefault).map(d -> d.toNanos() / 1e9)
                .orElseThrow(() -> bad("bad --time-default '" + timeDefault + "': use e.g. 10s or 1m"));
    }

    private static Timings.Type type(String name) {
        try {
            return Timings.Type.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad("unknown --timings-type '" + name + "': use filename, classname, testname or autodetect");
        }
    }

    /**
     * The class a source file holds, as reports name it: {@code src/test/java/a/b/FooTest.java} is
     * {@code a.b.FooTest}, {@code tests/test_x.py} is {@code tests.test_x} (the longest class name the dotted path
     * ends with).
     */
    static Optional<String> classOfFile(String file, Map<String, Double> classes) {
        int dot = file.lastIndexOf('.');
        if (dot <= 0 || file.indexOf('/') < 0) {
            return Optional.empty();
        }
        String dotted = file.substring(0, dot).replace('/', '.');
        return classes.keySet().stream().filter(k -> dotted.equals(k) || dotted.endsWith("." + k))
                .max(Comparator.comparingInt(String::length));
    }

    /** {@code src/test/java/a/b/FooTest.java} and {@code a.b.FooTest} both become what Maven and Gradle take. */
    static String javaClass(String item) {
        if (item.endsWith(".java") || item.endsWith(".kt")) {
            String f = Path.of(item).getFileName().toString();
            return f.substring(0, f.lastIndexOf('.'));
        }
        return item;
    }

    private static Map<String, Double> sizes(List<String> items) throws IOException {
        Map<String, Double> sizes = new HashMap<>();
        for (String item : items) {
            Path p = Path.of(item);
            if (Files.isRegularFile(p)) {
                sizes.put(item, (double) Files.size(p));
            }
        }
        return sizes;
    }

    private static Timings read(Path file) {
        try {
            return TimingsStore.read(file);
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst()
                    .orElse("");
            throw bad("cannot read the timings history " + file + ": " + why);
        }
    }

    /** The variable the shard comes from: the first of the two that is set, else the first (for messages). */
    private static String source(Map<String, String> env, String key, String fallback) {
        return env.containsKey(key) || !env.containsKey(fallback) ? key : fallback;
    }

    private static int number(String v, String key, int dflt) {
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw bad(key + " is '" + v + "', not a whole number");
        }
    }

    private static InvalidInput bad(String message) {
        return new InvalidInput(message);
    }

    /**
     * Input that {@code gantry tests} refuses: the command prints its message as one line and exits 2, without the
     * usage that would bury it.
     */
    static final class InvalidInput extends RuntimeException {
        InvalidInput(String message) {
            super(message);
        }
    }
}
