package dev.gantry.cli;

import dev.gantry.core.junit.Timings;
import dev.gantry.core.pipeline.Durations;
import dev.gantry.core.split.SplitPlan;
import dev.gantry.core.split.Splitter;
import dev.gantry.engine.record.TimingsStore;
import dev.gantry.engine.workspace.Globs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gantry tests glob|split}: a drop-in for {@code circleci tests glob|split}, usable in any step. */
@Command(name = "tests", description = "Find and split tests across parallel shards.",
        subcommands = {TestsCommand.Glob.class, TestsCommand.Split.class})
final class TestsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Main main;

    TestsCommand(Main main) {
        this.main = main;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(main.out());
        return ExitCodes.INVALID;
    }

    @Command(name = "glob", description = "Print the files matching the patterns (** crosses directories), sorted.")
    static final class Glob implements Callable<Integer> {

        @Parameters(arity = "1..*", paramLabel = "PATTERN")
        List<String> patterns;

        @CommandLine.ParentCommand
        TestsCommand parent;

        @Override
        public Integer call() throws IOException {
            Globs.files(Path.of("").toAbsolutePath(), patterns).forEach(parent.main.out()::println);
            return ExitCodes.OK;
        }
    }

    @Command(name = "split", description = "Print this shard's share of the tests named on the command line or, "
            + "without arguments, on standard input (one per line).")
    static final class Split implements Callable<Integer> {

        @Parameters(arity = "0..*", paramLabel = "TEST")
        List<String> tests = new ArrayList<>();

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

        @Option(names = "--format", defaultValue = "lines",
                description = "lines (default), maven (-Dtest=...), gradle (--tests ...), pytest (node ids).")
        String format;

        @Option(names = "--verbose", description = "Print every shard's predicted load on standard error.")
        boolean verbose;

        @CommandLine.ParentCommand
        TestsCommand parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Main main = parent.main;
            Map<String, String> env = main.env();
            int n = total != null ? total : number(env, "GANTRY_NODE_TOTAL", "CIRCLE_NODE_TOTAL", 1);
            int i = index != null ? index : number(env, "GANTRY_NODE_INDEX", "CIRCLE_NODE_INDEX", 0);
            if (n < 1 || i < 0 || i >= n) {
                throw bad("--index " + i + " is not within --total " + n + " shards (0 to " + (n - 1) + ")");
            }
            List<String> items = tests.isEmpty() ? stdin() : tests;
            SplitPlan plan = switch (splitBy) {
                case "name" -> Splitter.byName(items, n);
                case "filesize" -> Splitter.byWeight(items, sizes(items), n, null);
                case "timings" -> Splitter.byWeight(items, timings(items, env), n, defaultSeconds());
                default -> throw bad("unknown --split-by '" + splitBy + "': use timings, name or filesize");
            };
            if (verbose) {
                plan.shards().forEach(s -> main.err().printf(Locale.ROOT, "shard %d: %d tests, predicted %.1f%s%n",
                        s.index(), s.items().size(), s.predicted(), splitBy.equals("filesize") ? " bytes" : "s"));
            }
            List<String> mine = plan.shard(i).items();
            switch (format) {
                case "lines" -> mine.forEach(main.out()::println);
                case "maven" -> main.out().println("-Dtest=" + mine.stream().map(Split::javaClass)
                        .collect(Collectors.joining(",")));
                case "gradle" -> main.out().println(mine.stream().map(t -> "--tests " + javaClass(t))
                        .collect(Collectors.joining(" ")));
                case "pytest" -> main.out().println(String.join(" ", mine));
                default -> throw bad("unknown --format '" + format + "': use lines, maven, gradle or pytest");
            }
            return ExitCodes.OK;
        }

        private Map<String, Double> timings(List<String> items, Map<String, String> env) throws IOException {
            Path file = timingsFile != null ? timingsFile
                    : env.containsKey("GANTRY_TIMINGS_FILE") ? Path.of(env.get("GANTRY_TIMINGS_FILE")) : null;
            if (file == null || !Files.exists(file)) {
                return Map.of();
            }
            Timings t = TimingsStore.read(file);
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

        /**
         * The class a source file holds, as reports name it: {@code src/test/java/a/b/FooTest.java} is
         * {@code a.b.FooTest}, {@code tests/test_x.py} is {@code tests.test_x} (the longest class name the dotted
         * path ends with).
         */
        static java.util.Optional<String> classOfFile(String file, Map<String, Double> classes) {
            int dot = file.lastIndexOf('.');
            if (dot <= 0 || file.indexOf('/') < 0 && !file.contains(".")) {
                return java.util.Optional.empty();
            }
            String dotted = file.substring(0, dot).replace('/', '.');
            return classes.keySet().stream().filter(k -> dotted.equals(k) || dotted.endsWith("." + k))
                    .max(java.util.Comparator.comparingInt(String::length));
        }

        private Timings.Type type(String name) {
            try {
                return Timings.Type.valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw bad("unknown --timings-type '" + name + "': use filename, classname, testname or autodetect");
            }
        }

        private Double defaultSeconds() {
            if (timeDefault == null) {
                return null;
            }
            return Durations.parse(timeDefault).map(d -> d.toNanos() / 1e9)
                    .orElseThrow(() -> bad("bad --time-default '" + timeDefault + "': use e.g. 10s or 1m"));
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

        /** {@code src/test/java/a/b/FooTest.java} and {@code a.b.FooTest} both become what Maven and Gradle take. */
        static String javaClass(String item) {
            if (item.endsWith(".java") || item.endsWith(".kt")) {
                String f = Path.of(item).getFileName().toString();
                return f.substring(0, f.lastIndexOf('.'));
            }
            return item;
        }

        private List<String> stdin() throws IOException {
            List<String> lines = new ArrayList<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(parent.main.in(), StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                for (String word : line.trim().split("\\s+")) {
                    if (!word.isEmpty()) {
                        lines.add(word);
                    }
                }
            }
            return lines;
        }

        private static int number(Map<String, String> env, String key, String fallback, int dflt) {
            String v = env.getOrDefault(key, env.get(fallback));
            try {
                return v == null ? dflt : Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                return dflt;
            }
        }

        private CommandLine.ParameterException bad(String message) {
            return new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }
}
