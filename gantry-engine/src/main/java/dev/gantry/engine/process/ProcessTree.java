package dev.gantry.engine.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds and stops every process that belongs to a step or task, on Linux through {@code /proc}: members of the
 * step's process group, descendants of its root, and anything carrying the marker in its environment, which
 * catches processes that double-forked into a new session. Stopping is SIGTERM, a grace period, then SIGKILL.
 * A process that appears during the grace period gets the signal too (it was forked just as the others were
 * signalled), unless its parent was signalled and lives on: then it is that parent's handler at work (a trap
 * running {@code mv}, a shutdown hook uploading a report), left to finish until the grace period ends.
 */
public final class ProcessTree {

    private static final Path PROC = Path.of("/proc");
    private static final long POLL_MS = 20;

    private ProcessTree() {
    }

    /**
     * Which processes to stop.
     *
     * @param marker an environment entry such as {@code GANTRY_TASK_ID=abc}; null to skip the environment scan
     * @param pgid   a process group to include, or 0
     * @param root   a process whose descendants to include, or 0
     */
    public record Selector(String marker, long pgid, long root) {

        public static Selector marker(String key, String value) {
            return new Selector(key + "=" + value, 0, 0);
        }
    }

    /**
     * Stops every selected process: {@code signal} (TERM, INT, HUP, QUIT; KILL skips the grace period), up to
     * {@code grace} to exit, then SIGKILL until none is left.
     */
    public static void terminate(Selector selector, String signal, Duration grace) {
        Set<Long> pids = find(selector);
        if (pids.isEmpty()) {
            return;
        }
        Set<Long> signalled = new HashSet<>();
        long deadline = signal.equals("KILL") ? 0 : System.nanoTime() + grace.toNanos();
        while (!pids.isEmpty() && System.nanoTime() < deadline) {
            List<Long> fresh = new ArrayList<>();
            for (long pid : pids) {
                if (!signalled.contains(pid) && !startedByAHandler(pid, signalled)) {
                    signalled.add(pid);
                    fresh.add(pid);
                }
            }
            send(signal, fresh);
            sleep(POLL_MS);
            pids = find(selector);
        }
        for (int round = 0; round < 200 && !pids.isEmpty(); round++) {
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            sleep(POLL_MS / 2);
            pids = find(selector);
        }
    }

    /** Whether the process's parent was signalled and still lives: the process is part of its handling. */
    private static boolean startedByAHandler(long pid, Set<Long> signalled) {
        Stat stat = Stat.read(PROC.resolve(Long.toString(pid)));
        if (stat == null || !signalled.contains(stat.ppid())) {
            return false;
        }
        Stat parent = Stat.read(PROC.resolve(Long.toString(stat.ppid())));
        return parent != null && !parent.zombie();
    }

    private static void send(String signal, List<Long> pids) {
        if (pids.isEmpty()) {
            return;
        }
        if (signal.equals("TERM")) {
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-s", signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
        } catch (IOException e) {
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The live (not zombie) processes the selector matches, never this JVM itself. */
    public static Set<Long> find(Selector selector) {
        Set<Long> found = new HashSet<>();
        long self = ProcessHandle.current().pid();
        if (selector.root() > 0) {
            ProcessHandle.of(selector.root()).ifPresent(h -> {
                if (h.isAlive()) {
                    found.add(h.pid());
                }
                h.descendants().filter(ProcessHandle::isAlive).forEach(d -> found.add(d.pid()));
            });
        }
        if (!Files.isDirectory(PROC) || (selector.marker() == null && selector.pgid() <= 0)) {
            found.remove(self);
            return found;
        }
        byte[] marker = selector.marker() == null ? null
                : (selector.marker() + "\0").getBytes(StandardCharsets.UTF_8);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> isPid(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                long pid = Long.parseLong(dir.getFileName().toString());
                if (pid == self || found.contains(pid)) {
                    continue;
                }
                Stat stat = Stat.read(dir);
                if (stat == null || stat.zombie()) {
                    continue;
                }
                if ((selector.pgid() > 0 && stat.pgid() == selector.pgid())
                        || (marker != null && environContains(dir, marker))) {
                    found.add(pid);
                }
            }
        } catch (IOException | java.nio.file.DirectoryIteratorException e) {
            // /proc changed under us: what was found so far stands, the next scan sees the rest
        }
        found.removeIf(pid -> {
            Stat stat = Stat.read(PROC.resolve(Long.toString(pid)));
            return stat == null || stat.zombie();
        });
        return found;
    }

    private static boolean isPid(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean environContains(Path dir, byte[] marker) {
        byte[] env;
        try {
            env = Files.readAllBytes(dir.resolve("environ"));
        } catch (IOException | SecurityException e) {
            return false;
        }
        outer:
        for (int start = 0; start + marker.length <= env.length; ) {
            for (int i = 0; i < marker.length; i++) {
                if (env[start + i] != marker[i]) {
                    int next = indexOfZero(env, start);
                    if (next < 0) {
                        return false;
                    }
                    start = next + 1;
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static int indexOfZero(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The two fields of {@code /proc/PID/stat} this class needs. */
    private record Stat(char state, long ppid, long pgid) {

        boolean zombie() {
            return state == 'Z' || state == 'X';
        }

        static Stat read(Path dir) {
            try {
                String s = Files.readString(dir.resolve("stat"));
                int close = s.lastIndexOf(')');
                String[] f = s.substring(close + 2).split(" ");
                return new Stat(f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2]));
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }
}
