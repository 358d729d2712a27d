package dev.gantry.docker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Removes every trace a {@link SecondDaemon} can leave on the host once its dockerd is gone, gracefully or not:
 * its containers (through runc, since a SIGKILLed dockerd leaves shims and container processes running), its
 * containerd and shims, the mounts under its directory, its bridges, its FORWARD rule and the directory itself.
 * Everything it touches is named by the daemon's own directory, containerd namespace or address pool, so the
 * machine's main Docker engine and other tests' daemons are never affected.
 */
final class DaemonScrub {

    private static final Pattern INET = Pattern.compile("^\\d+:\\s+(\\S+)\\s+inet\\s+(\\d+)\\.(\\d+)\\.");

    private final Path dir;
    private final String namespace;
    private final int pool;
    private final String bridge;

    DaemonScrub(Path dir, String namespace, int pool, String bridge) {
        this.dir = dir;
        this.namespace = namespace;
        this.pool = pool;
        this.bridge = bridge;
    }

    /** The FORWARD rule that lets traffic between this daemon's containers through (see SecondDaemon). */
    List<String> forwardRule(String action) {
        String subnet = subnet();
        return List.of("iptables", "-w", action, "FORWARD", "-s", subnet, "-d", subnet,
            "-m", "comment", "--comment", "gantry-d2 " + dir, "-j", "ACCEPT");
    }

    String subnet() {
        return "10." + pool + ".0.0/16";
    }

    void run() {
        killContainers();
        killProcesses();
        unmount();
        deleteLinks();
        if (HostCommand.installed("iptables")) {
            while (HostCommand.run(forwardRule("-D")).ok()) {
                // a rule may be there twice after a crash between insert and record
            }
        }
        deleteTree(dir);
    }

    private void killContainers() {
        Path runcRoot = dir.resolve("exec/runtime-runc").resolve(namespace);
        if (!Files.isDirectory(runcRoot) || !HostCommand.installed("runc")) {
            return;
        }
        for (Path container : list(runcRoot)) {
            String id = container.getFileName().toString();
            HostCommand.run(List.of("runc", "--root", runcRoot.toString(), "kill", "--all", id, "KILL"));
            HostCommand.run(List.of("runc", "--root", runcRoot.toString(), "delete", "--force", id));
        }
    }

    /** dockerd, its containerd and the shims: every process whose command line names this daemon. */
    private void killProcesses() {
        List<ProcessHandle> ours = new ArrayList<>();
        for (Path proc : list(Path.of("/proc"))) {
            String name = proc.getFileName().toString();
            if (!name.chars().allMatch(Character::isDigit)) {
                continue;
            }
            String cmdline = readOrEmpty(proc.resolve("cmdline"));
            if (cmdline.contains(dir + "/") || cmdline.contains("-namespace\0" + namespace + "\0")) {
                ProcessHandle.of(Long.parseLong(name)).ifPresent(ours::add);
            }
        }
        ours.forEach(ProcessHandle::destroyForcibly);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        for (ProcessHandle process : ours) {
            while (process.isAlive() && Instant.now().isBefore(deadline)) {
                sleep(50);
            }
        }
    }

    private void unmount() {
        List<String> mounts = new ArrayList<>();
        for (String line : readOrEmpty(Path.of("/proc/self/mountinfo")).split("\n")) {
            String[] fields = line.split(" ");
            if (fields.length > 4) {
                String point = fields[4].replace("\\040", " ");
                if (point.equals(dir.toString()) || point.startsWith(dir + "/")) {
                    mounts.add(point);
                }
            }
        }
        mounts.sort(Comparator.comparingInt(String::length).reversed());
        for (String point : mounts) {
            if (!HostCommand.run(List.of("umount", point)).ok()) {
                HostCommand.run(List.of("umount", "-l", point));
            }
        }
    }

    /** The daemon's default bridge and the br-… bridges of its networks: the links holding its pool's addresses. */
    private void deleteLinks() {
        List<String> links = new ArrayList<>(List.of(bridge));
        for (String line : HostCommand.run(List.of("ip", "-o", "-4", "addr", "show")).output().split("\n")) {
            Matcher m = INET.matcher(line);
            if (m.find() && m.group(2).equals("10") && Integer.parseInt(m.group(3)) == pool) {
                links.add(m.group(1));
            }
        }
        for (String link : links) {
            if (HostCommand.run(List.of("ip", "link", "show", link)).ok()) {
                HostCommand.run(List.of("ip", "link", "delete", link));
            }
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            HostCommand.run(List.of("rm", "-rf", root.toString()));
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String readOrEmpty(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static Optional<ProcessHandle> alive(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
