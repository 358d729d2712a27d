package dev.gantry.cli;

import dev.gantry.core.split.SplitPlan;
import dev.gantry.core.split.Splitter;
import dev.gantry.engine.workspace.Globs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gantry tests glob|split}: a drop-in for {@code circleci tests glob|split}, usable in any step. */
@Command(name = "tests", description = "Find and split tests across parallel shards.",
        subcommands = {TestsCommand.Glob.class, TestsCommand.Split.class, TestsCommand.Run.class})
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
            List<String> files;
            try {
                files = Globs.files(Path.of("").toAbsolutePath(), patterns);
            } catch (dev.gantry.core.glob.Glob.InvalidGlobException e) {
                return invalid(parent.main, e.getMessage()
                        + "; quote the pattern, and escape a literal '[', '{' or '*' with '\\'");
            }
            files.forEach(parent.main.out()::println);
            return ExitCodes.OK;
        }
    }

    @Command(name = "split", description = "Print this shard's share of the tests named on the command line or, "
            + "without arguments, on standard input (one per line).")
    static final class Split implements Callable<Integer> {

        @Parameters(arity = "0..*", paramLabel = "TEST")
        List<String> tests = new ArrayList<>();

        @CommandLine.Mixin
        SplitOptions options;

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
            try {
                return split(parent.main);
            } catch (SplitOptions.InvalidInput e) {
                return invalid(parent.main, e.getMessage());
            }
        }

        private int split(Main main) throws IOException {
            SplitOptions.Shard shard = options.shard(main.env());
            List<String> items = tests.isEmpty() ? stdin(main) : tests;
            SplitPlan plan = options.plan(items, shard.total(), main.env(), main.err());
            if (verbose) {
                plan.shards().forEach(s -> main.err().printf(Locale.ROOT, "shard %d: %d tests, predicted %.1f%s%n",
                        s.index(), s.items().size(), s.predicted(),
                        options.splitBy.equals("filesize") ? " bytes" : "s"));
            }
            List<String> mine = plan.shard(shard.index()).items();
            switch (format) {
                case "lines" -> mine.forEach(main.out()::println);
                case "maven" -> main.out().println("-Dtest=" + mine.stream().map(SplitOptions::javaClass)
                        .collect(Collectors.joining(",")));
                case "gradle" -> main.out().println(mine.stream().map(t -> "--tests " + SplitOptions.javaClass(t))
                        .collect(Collectors.joining(" ")));
                case "pytest" -> main.out().println(String.join(" ", mine));
                default -> throw new SplitOptions.InvalidInput("unknown --format '" + format
                        + "': use lines, maven, gradle or pytest");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "run", description = "Run a command on this shard's tests: with --queue, batches pulled from the "
            + "job's shared queue until it is empty (a shard that finishes early takes more work); otherwise, or "
            + "when no queue is reachable, the static split. In the command, an argument {} becomes the batch's "
            + "tests as separate arguments, and {} inside an argument their comma-separated list.")
    static final class Run implements Callable<Integer> {

        @Option(names = "--queue", description = "Pull batches from the job's queue ($GANTRY_QUEUE_URL).")
        boolean queue;

        @Option(names = "--batch", defaultValue = "1", description = "Tests per batch (default 1).")
        int batch;

        @Option(names = "--tests", split = ",", paramLabel = "TEST",
                description = "The tests (default: one per line on standard input).")
        List<String> tests = new ArrayList<>();

        @CommandLine.Mixin
        SplitOptions options;

        @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "After --: the command to run.")
        List<String> command;

        @CommandLine.ParentCommand
        TestsCommand parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try {
                return run(parent.main);
            } catch (SplitOptions.InvalidInput e) {
                return invalid(parent.main, e.getMessage());
            }
        }

        private int run(Main main) throws Exception {
            SplitOptions.Shard shard = options.shard(main.env());
            List<String> items = tests.isEmpty() ? stdin(main) : tests;
            String url = main.env().get("GANTRY_QUEUE_URL");
            if (queue && url != null) {
                java.util.Optional<Integer> result = new QueueClient(url, main.env().getOrDefault("GANTRY_TASK_ID",
                        "shard-" + shard.index()), main.err()).runAll(
                        Splitter.longestFirst(items, options.timings(items, main.env(), main.err()),
                                options.defaultSeconds()), batch, b -> TestBatchCommand.run(command, b, main));
                if (result.isPresent()) {
                    return result.get();
                }
                main.err().println("gantry: the test queue is not reachable; running the static split instead");
            } else if (queue) {
                main.err().println("gantry: no test queue (GANTRY_QUEUE_URL is not set); running the static split");
            }
            List<String> mine = options.plan(items, shard.total(), main.env(), main.err()).shard(shard.index())
                    .items();
            return mine.isEmpty() ? ExitCodes.OK : TestBatchCommand.run(command, mine, main);
        }
    }

    private static int invalid(Main main, String message) {
        main.err().println("gantry: " + message);
        return ExitCodes.INVALID;
    }

    /** The tests on standard input, one per line: a name may contain spaces, blank lines are skipped. */
    static List<String> stdin(Main main) throws IOException {
        List<String> lines = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(main.in(), StandardCharsets.UTF_8));
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            String name = line.strip();
            if (!name.isEmpty()) {
                lines.add(name);
            }
        }
        return lines;
    }
}
