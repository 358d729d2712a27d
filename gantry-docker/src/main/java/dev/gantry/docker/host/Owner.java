package dev.gantry.docker.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which running Gantry made a container: {@code machine/pid/start}, where {@code start} is the process's start
 * time from {@code /proc} (so a reused pid is not mistaken for the same process). Leftovers of an owner that is
 * no longer running are removed at start-up; those of a Gantry still running (another {@code gantry run} of the
 * same pipeline) are left alone.
 */
public record Owner(String machine, long pid, String start) {

    private static final Owner SELF = new Owner(machineName(), ProcessHandle.current().pid(),
            startTime(ProcessHandle.current().pid()));

    public static Owner self() {
        return SELF;
    }

    /** Parses a label's value; null when it is not one. */
    public static Owner parse(String label) {
        if (label == null) {
            return null;
        }
        String[] p = label.split("/", 3);
        if (p.length != 3) {
            return null;
        }
        try {
            return new Owner(p[0], Long.parseLong(p[1]), p[2]);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Whether this owner is still running: on this machine, the same process; elsewhere, assumed so. */
    public boolean isAlive() {
        if (!machine.equals(SELF.machine)) {
            return true;
        }
        return start.equals(startTime(pid));
    }

    @Override
    public String toString() {
        return machine + "/" + pid + "/" + start;
    }

    private static String startTime(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return f[19];
        } catch (IOException | RuntimeException e) {
            return "gone";
        }
    }

    private static String machineName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
