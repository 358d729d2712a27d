package dev.gantry.engine.telemetry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/** CPU time and resident memory of a set of processes, from {@code /proc} (zero elsewhere). */
public final class ProcStats {

    /** Clock ticks per second of {@code /proc/PID/stat} times; 100 on every Linux that Gantry targets. */
    static final int CLOCK_TICKS = 100;
    private static final long PAGE = 4096;

    private ProcStats() {
    }

    /** Totals over {@code pids}: CPU seconds used so far and resident bytes now. */
    public record Usage(double cpuSeconds, long rssBytes) {
    }

    public static Usage of(Collection<Long> pids) {
        double cpu = 0;
        long rss = 0;
        for (long pid : pids) {
            Path dir = Path.of("/proc", Long.toString(pid));
            try {
                String stat = Files.readString(dir.resolve("stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                cpu += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS;
                String[] statm = Files.readString(dir.resolve("statm")).trim().split(" ");
                rss += Long.parseLong(statm[1]) * PAGE;
            } catch (IOException | RuntimeException e) {
                // the process ended between listing and reading
            }
        }
        return new Usage(cpu, rss);
    }
}
