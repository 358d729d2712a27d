package dev.gantry.cli;

import dev.gantry.core.junit.Timings;
import dev.gantry.core.pipeline.Durations;
import dev.gantry.core.split.SplitPlan;
import dev.gantry.core.split.Splitter;
import dev.gantry.engine.record.TimingsStore;
import java.io.IOException;
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
    Integer index;

    @Option(names = "--total", description = "Number of shards (default: $GANTRY_NODE_TOTAL or $CIRCLE_NODE_TOTAL).")
    Integer total;

    /** Which shard this is. */
    record Shard(int index, int total) {
    }

    Shard shard(Map<String, String> env, CommandLine.Model.CommandSpec spec) {
        int n = total != null ? total : number(env, "GANTRY_NODE_TOTAL", "CIRCLE_NODE_TOTAL", 1);
        int i = index != null ? index : number(env, "GANTRY_NODE_INDEX", "CIRCLE_NODE_INDEX", 0);
        if (n < 1 || i < 0 || i >= n) {
            throw bad(spec, "--index " + i + " is not within --total " + n + " shards (0 to " + (n - 1) + ")");
        }
        return new Shard(i, n);
    }

    SplitPlan plan(List<String> items, int shards, Map<String, String> env, CommandLine.Model.CommandSpec spec)
            throws IOException {
        return switch (splitBy) {
            case "name" -> Splitter.byName(items, shards);
            case "filesize" -> Splitter.byWeight(items, sizes(items), shards, null);
            case "timings" -> Splitter.byWeight(items, timings(items, env, spec), shards, defaultSeconds(spec));
            default -> throw bad(spec, "unknown --split-by '" + splitBy + "': use timings, name or filesize");
        };
    }

    Map<String, Double> timings(List<String> items, Map<String, String> env, CommandLine.Model.CommandSpec spec)
            throws IOException {
        Path file = timingsFile != null ? timingsFile
                : env.containsKey("GANTRY_TIMINGS_FILE") ? Path.of(env.get("GANTRY_TIMINGS_FILE")) : null;
        if (!splitBy.equals("timings") || file == null || !Files.exists(file)) {
            return new HashMap<>();
        }
        Timings t = TimingsStore.read(file);
        Timings.Type type = timingsType.equals("autodetect") ? t.detect(items) : type(timingsType, spec);
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

    Double defaultSeconds(CommandLine.Model.CommandSpec spec) {
        if (timeDefault == null) {
            return null;
        }
        return Durations.parse(timeDefault).map(d -> d.toNanos() / 1e9)
                .orElseThrow(() -> bad(spec, "bad --time-default '" + timeDefault + "': use e.g. 10s or 1m"));
    }

    private static Timings.Type type(String name, CommandLine.Model.CommandSpec spec) {
        try {
            return Timings.Type.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad(spec, "unknown --timings-type '" + name + "': use filename, classname, testname or autodetect");
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

    private static int number(Map<String, String> env, String key, String fallback, int dflt) {
        String v = env.getOrDefault(key, env.get(fallback));
        try {
            return v == null ? dflt : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static CommandLine.ParameterException bad(CommandLine.Model.CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
