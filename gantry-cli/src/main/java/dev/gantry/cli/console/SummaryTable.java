package dev.gantry.cli.console;

import dev.gantry.core.pipeline.Durations;
import dev.gantry.core.pipeline.Sizes;
import dev.gantry.engine.telemetry.Summary;
import dev.gantry.engine.run.TaskRun;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.scheduler.BuildResult;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The table printed when a build ends: task, status, attempts, duration; then one line with the verdict. */
public final class SummaryTable {

    private SummaryTable() {
    }

    public static void print(PrintStream out, Style style, long buildNumber, BuildResult result,
                             Map<String, Summary> telemetry) {
        int width = Math.max(4, result.tasks().stream().mapToInt(t -> t.name().length()).max().orElse(4));
        String format = "%-" + width + "s  %-10s  %8s  %9s  %9s  %8s";
        out.println();
        out.println(style.bold(String.format(format, "TASK", "STATUS", "ATTEMPTS", "DURATION", "PEAK MEM", "PEAK CPU")));
        for (TaskRun t : result.tasks()) {
            Summary r = telemetry.get(t.name());
            String line = String.format(format, t.name(), t.state().label(), t.attempts(),
                    t.startedAt() == null ? "-" : Durations.format(t.duration()),
                    r == null ? "-" : Sizes.format(r.peakRssBytes()),
                    r == null ? "-" : String.format(java.util.Locale.ROOT, "%.0f%%", r.peakCpuPercent()));
            out.println(colour(style, t.state(), line));
        }
        Map<TaskState, Long> counts = result.tasks().stream()
                .collect(Collectors.groupingBy(TaskRun::state, () -> new EnumMap<>(TaskState.class),
                        Collectors.counting()));
        String tally = counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().label())
                .collect(Collectors.joining(", "));
        String verdict = "Build #" + buildNumber + " " + result.state().label() + " in "
                + Durations.format(result.duration()) + " (" + tally + ")";
        out.println();
        out.println(colour(style, result.state(), style.bold(verdict)));
    }

    private static String colour(Style style, TaskState state, String s) {
        return switch (state) {
            case SUCCEEDED -> style.green(s);
            case SKIPPED -> style.dim(s);
            case CANCELLED -> style.yellow(s);
            default -> style.red(s);
        };
    }
}
