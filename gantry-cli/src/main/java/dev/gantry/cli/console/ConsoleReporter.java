package dev.gantry.cli.console;

import dev.gantry.core.pipeline.Durations;
import dev.gantry.core.pipeline.Sizes;
import dev.gantry.engine.telemetry.Summary;
import dev.gantry.engine.batch.BatchSummary;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.event.BuildListener;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Prints a build for a person: every log line prefixed by its task, a line when a task starts and ends, and on a
 * terminal a compact progress line kept at the bottom.
 */
public final class ConsoleReporter implements BuildListener {

    private final PrintStream out;
    private final Style style;
    private final boolean progressLine;
    private final Function<String, Path> logFile;
    private final Map<String, Integer> index = new HashMap<>();
    private final Set<String> running = new LinkedHashSet<>();
    private final Map<String, Summary> telemetry = new HashMap<>();
    private final java.util.List<BuildEvent.ArtifactsSaved> artifacts = new java.util.ArrayList<>();
    private final java.util.List<BuildEvent.BatchFinished> batches = new java.util.ArrayList<>();
    /** The latest figures of each task's running batch, shown in the progress line. */
    private final Map<String, dev.gantry.core.batch.BatchFigures> batchProgress = new HashMap<>();
    private int width;
    private int total;
    private int done;
    private int failed;
    private boolean progressShown;

    /**
     * @param progressLine keep a redrawn status line at the bottom (only on a terminal)
     * @param logFile      where each task's full log is kept, printed when it fails
     */
    public ConsoleReporter(PrintStream out, Style style, boolean progressLine, Function<String, Path> logFile) {
        this.out = out;
        this.style = style;
        this.progressLine = progressLine;
        this.logFile = logFile;
    }

    @Override
    public synchronized void on(BuildEvent event) {
        if (event instanceof BuildEvent.BuildStarted e) {
            total = e.tasks().size();
            for (String t : e.tasks()) {
                index.put(t, index.size());
                width = Math.max(width, t.length());
            }
            var b = e.build();
            String rev = b.revision().commit() == null ? "not in a git repository"
                    : (b.revision().branch() != null ? b.revision().branch() : "detached") + " @ "
                    + b.revision().commit().substring(0, 8)
                    + (b.revision().tag() != null ? " (tag " + b.revision().tag() + ")" : "");
            print(style.bold("gantry: " + b.pipelineName() + " · build #" + b.number() + " · " + total + " tasks · "
                    + rev));
        } else if (event instanceof BuildEvent.TaskStarted e) {
            running.add(e.task());
            String pools = e.allocation().slots().isEmpty() ? "" : " " + e.allocation().slots();
            print(prefix(e.task()) + style.dim("started" + pools));
        } else if (event instanceof BuildEvent.AttemptStarted e && e.attempt() > 1) {
            print(prefix(e.task()) + style.yellow("retrying: attempt " + e.attempt() + " of " + e.maxAttempts()));
        } else if (event instanceof BuildEvent.StepStarted e) {
            print(prefix(e.task()) + style.bold("$ " + e.step()));
        } else if (event instanceof BuildEvent.LogLine e) {
            print(prefix(e.task()) + e.line());
        } else if (event instanceof BuildEvent.StepFinished e && !e.outcome().succeeded()) {
            print(prefix(e.task()) + style.red("step '" + e.step() + "' " + e.outcome().state().label() + ": "
                    + e.outcome().reason()));
        } else if (event instanceof BuildEvent.ServiceStarted e) {
            print(prefix(e.task()) + style.dim("service " + e.service() + " starting on port " + e.port()));
        } else if (event instanceof BuildEvent.ServiceReady e) {
            print(prefix(e.task()) + style.green("service " + e.service() + " ready in "
                    + Durations.format(e.startup()) + " (" + e.probe() + ")"));
        } else if (event instanceof BuildEvent.ServiceStopped e) {
            print(prefix(e.task()) + style.dim("service " + e.service() + " stopped"
                    + (e.exitCode() == null ? "" : " (exit code " + e.exitCode() + ")")));
        } else if (event instanceof BuildEvent.BatchProgress e) {
            batchProgress.put(e.task(), e.figures());
            if (progressLine) {
                print(null);
            }
        } else if (event instanceof BuildEvent.BatchFinished e) {
            batchProgress.remove(e.task());
            batches.add(e);
        } else if (event instanceof BuildEvent.ArtifactsSaved e) {
            artifacts.add(e);
        } else if (event instanceof BuildEvent.TelemetrySummarized e) {
            e.summaries().forEach(t -> {
                if (t.scope().equals("task")) {
                    telemetry.put(e.task(), t);
                }
                print(prefix(e.task()) + style.dim("resources (" + t.scope() + "): " + describe(t)));
            });
        } else if (event instanceof BuildEvent.TaskFinished e) {
            taskFinished(e);
        }
    }

    private void taskFinished(BuildEvent.TaskFinished e) {
        running.remove(e.task());
        batchProgress.remove(e.task());
        done++;
        String took = " in " + Durations.format(e.duration());
        String attempts = e.attempts() > 1 ? " after " + e.attempts() + " attempts" : "";
        switch (e.state()) {
            case SUCCEEDED -> print(style.green("✓ " + e.task() + " succeeded" + attempts + took));
            case SKIPPED -> print(style.dim("○ " + e.task() + " skipped: " + e.reason()));
            case CANCELLED -> print(style.yellow("■ " + e.task() + " cancelled: " + e.reason()));
            default -> {
                failed++;
                print(style.red("✗ " + e.task() + " " + e.state().label() + attempts + took
                        + (e.reason() == null ? "" : ": " + e.reason())));
                print(style.red("  full log: " + display(logFile.apply(e.task()))));
            }
        }
    }

    /** Peaks and means in a few words: {@code CPU peak 180%, mean 87%; memory peak 412 MiB, mean 300 MiB}. */
    static String describe(Summary t) {
        String s = String.format(java.util.Locale.ROOT, "CPU peak %.0f%%, mean %.0f%%; memory peak %s, mean %s",
                t.peakCpuPercent(), t.meanCpuPercent(), Sizes.format(t.peakRssBytes()), Sizes.format(t.meanRssBytes()));
        if (t.peakGpuMemoryBytes() != null) {
            s += "; GPU memory peak " + Sizes.format(t.peakGpuMemoryBytes());
        }
        if (t.meanGpuUtilizationPercent() != null) {
            s += String.format(java.util.Locale.ROOT, ", GPU utilisation mean %.0f%%", t.meanGpuUtilizationPercent());
        }
        return s + " (" + t.samples() + (t.samples() == 1 ? " sample)" : " samples)");
    }

    /** Artifacts kept during the build, to list after the summary. */
    public synchronized java.util.List<String> artifactLines() {
        return artifacts.stream().map(a -> a.task() + ": " + a.name() + " (" + a.files() + (a.files() == 1 ? " file, "
                : " files, ") + Sizes.format(a.bytes()) + ") in " + display(a.directory())).toList();
    }

    /** Each batch step's end: its task and step, its figures, and where its results are. */
    public synchronized java.util.List<String> batchLines() {
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (BuildEvent.BatchFinished b : batches) {
            lines.add(b.task() + ": " + b.step() + (b.failure() == null ? "" : " (stopped: " + b.failure() + ")"));
            BatchSummary.summary(b.figures(), b.output() == null ? "" : b.output()).forEach(l -> lines.add("  " + l));
        }
        return lines;
    }

    /** The whole-task resource summary of each task that ran, for the summary table. */
    public synchronized Map<String, Summary> telemetry() {
        return Map.copyOf(telemetry);
    }

    /** A path relative to the current directory when it lies below it: shorter to read and to copy. */
    public static String display(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        return p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
    }

    private String prefix(String task) {
        String padded = String.format("%-" + width + "s", task);
        return style.task(index.getOrDefault(task, 0), padded + " │ ");
    }

    private void print(String line) {
        if (progressShown) {
            out.print("\r\u001b[2K");
        }
        if (line != null) {
            out.println(line);
        }
        if (progressLine) {
            StringBuilder batch = new StringBuilder();
            batchProgress.forEach((task, f) -> batch.append(" · ").append(task).append(" ").append(BatchSummary.progress(f)));
            out.print(style.dim("[" + done + "/" + total + " done · " + running.size() + " running"
                    + (failed > 0 ? " · " + failed + " failed" : "") + "]"
                    + (running.isEmpty() ? "" : " " + String.join(", ", running)) + batch));
            out.flush();
            progressShown = true;
        }
    }

    /** Clears the progress line before the summary is printed. */
    public synchronized void close() {
        if (progressShown) {
            out.print("\r\u001b[2K");
            out.flush();
            progressShown = false;
        }
    }
}
