package dev.gantry.cli;

import dev.gantry.core.audio.AudioCheck;
import dev.gantry.core.audio.Bound;
import dev.gantry.core.audio.Comparison;
import dev.gantry.core.audio.Metric;
import dev.gantry.engine.audio.AudioFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gantry audio check}: the audio_check step from the command line. */
@Command(name = "audio", description = "Audio tools.", subcommands = AudioCommand.Check.class)
final class AudioCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(main.out());
        return ExitCodes.INVALID;
    }

    @Command(name = "check", description = "Measure WAV files and check them: exit 0 when every check passes, 1 when "
            + "one fails, 2 when a file cannot be read.")
    static final class Check implements Callable<Integer> {

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "WAV files (relative to the current directory).")
        List<String> files;

        @Option(names = "--expect", paramLabel = "METRIC=BOUND",
                description = "A bound: sample_rate=16000, duration=0.5..10 (seconds), rms_dbfs=-40..-3, "
                        + "clipping=..0.001, pitch_hz=60.. . Repeatable.")
        List<String> expect = new ArrayList<>();

        @Option(names = "--compare", paramLabel = "'METRIC A RELATION FACTOR B'",
                description = "A relation between two files, e.g. 'pitch_hz happy.wav at_least 1.1 sad.wav' or "
                        + "'duration a.wav within 0.3 b.wav'. Repeatable.")
        List<String> compare = new ArrayList<>();

        @Option(names = "--report", paramLabel = "DIR", description = "Write a JSON report per file into DIR.")
        Path report;

        @CommandLine.ParentCommand
        AudioCommand parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Main main = parent.main;
            List<Bound> bounds = new ArrayList<>();
            for (String e : expect) {
                bounds.add(bound(e));
            }
            List<Comparison> comparisons = new ArrayList<>();
            for (String c : compare) {
                comparisons.add(comparison(c));
            }
            Path cwd = Path.of("").toAbsolutePath();
            for (String f : files) {
                if (!Files.isRegularFile(cwd.resolve(f))) {
                    throw new CommandLine.ParameterException(spec.commandLine(), f + ": no such file");
                }
            }
            AudioCheck.Result result = AudioFiles.check(cwd, files, bounds, comparisons,
                    report == null ? null : report.toAbsolutePath());
            boolean unreadable = result.files().stream().anyMatch(r -> r.metrics() == null);
            result.files().forEach(r -> main.out().println(AudioFiles.summary(r)));
            result.failures().stream().filter(f -> result.files().stream().noneMatch(r -> r.metrics() == null
                    && r.failures().contains(f))).forEach(f -> main.out().println("FAILED " + f));
            if (unreadable) {
                return ExitCodes.INVALID;
            }
            return result.failures().isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
        }

        private Bound bound(String text) {
            String[] kv = text.split("=", 2);
            Metric m = metric(kv[0]);
            if (kv.length < 2) {
                throw bad("--expect " + text + ": write METRIC=VALUE or METRIC=MIN..MAX");
            }
            try {
                if (!kv[1].contains("..")) {
                    double v = Double.parseDouble(kv[1]);
                    return new Bound(m, v, v);
                }
                String[] range = kv[1].split("\\.\\.", -1);
                Double min = range[0].isBlank() ? null : Double.valueOf(range[0]);
                Double max = range[1].isBlank() ? null : Double.valueOf(range[1]);
                if (min == null && max == null) {
                    throw bad("--expect " + text + ": give a minimum, a maximum or both");
                }
                return new Bound(m, min, max);
            } catch (NumberFormatException e) {
                throw bad("--expect " + text + ": not a number");
            }
        }

        private Comparison comparison(String text) {
            String[] p = text.trim().split("\\s+");
            if (p.length != 5) {
                throw bad("--compare '" + text + "': write 'METRIC A RELATION FACTOR B'");
            }
            Comparison.Relation rel;
            try {
                rel = Comparison.Relation.valueOf(p[2].toUpperCase(Locale.ROOT));
                return new Comparison(metric(p[0]), p[1], p[4], rel, Double.parseDouble(p[3]));
            } catch (IllegalArgumentException e) {
                throw bad("--compare '" + text + "': RELATION is at_least, at_most or within; FACTOR a number");
            }
        }

        private Metric metric(String name) {
            return Metric.of(name).orElseThrow(() -> bad("unknown metric '" + name + "'; metrics: "
                    + String.join(", ", Metric.keys())));
        }

        private CommandLine.ParameterException bad(String message) {
            return new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }

    private final Main main;

    AudioCommand(Main main) {
        this.main = main;
    }
}
