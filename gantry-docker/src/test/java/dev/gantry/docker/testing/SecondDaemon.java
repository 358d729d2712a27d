package dev.gantry.docker.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A second Docker engine on this machine, for tests of several Docker hosts: its own dockerd with its own socket,
 * data root, exec root, pid file, containerd (namespaced), default bridge and address pool, beside the machine's
 * main engine, which it never disturbs. {@link #kill()} makes it vanish like a host that went away; {@link #stop()}
 * (or close) removes everything it made, also after a kill, and a start removes what a killed test JVM left.
 *
 * <p>Why not {@code --bridge=none}: dockerd then deletes the host's {@code docker0}, which belongs to the main
 * engine. Instead it gets a bridge of its own, made here. With {@code --iptables=false} it adds no NAT or
 * isolation rules, but the main engine's FORWARD policy DROP still applies to bridged traffic
 * (br_netfilter), so a FORWARD rule accepting traffic inside this daemon's pool lets its containers reach each
 * other; nothing from its containers reaches beyond the machine.
 */
public final class SecondDaemon implements AutoCloseable {

    private static final Path TMP = Path.of("/tmp");
    private static final String PREFIX = "gantry-d2-";
    private static final Path LOCK = TMP.resolve("gantry-d2.lock");
    private static final int FIRST_POOL = 200;
    private static final int LAST_POOL = 249;
    private static final Duration START_BUDGET = Duration.ofSeconds(60);
    private static final Duration STOP_BUDGET = Duration.ofSeconds(60);

    private final Path dir;
    private final int pool;
    private final DaemonScrub scrub;
    private final String url;
    private Process process;
    private Thread shutdownHook;
    private boolean stopped;

    private SecondDaemon(Path dir, int pool) {
        this.dir = dir;
        this.pool = pool;
        String name = dir.getFileName().toString();
        this.scrub = new DaemonScrub(dir, name, pool, bridgeName(pool));
        this.url = "unix://" + dir.resolve("docker.sock");
    }

    /**
     * Starts a second dockerd and waits until it answers. Skips the calling test when not root or when dockerd or
     * iproute2 is missing; fails it (with the end of dockerd's log) when the daemon does not come up.
     */
    public static SecondDaemon start() {
        assumeSupported();
        SecondDaemon daemon = claim();
        daemon.launch();
        return daemon;
    }

    /**
     * A second dockerd that accepts NVIDIA device requests: a stand-in {@code nvidia-container-runtime-hook} (which
     * does nothing: this machine has no GPU) is on its PATH, so dockerd registers its {@code nvidia} device driver,
     * records each container's device IDs as NVIDIA_VISIBLE_DEVICES in its main process's environment, and starts
     * it. Only the hook is a stand-in; everything up to it is the real engine.
     */
    public static SecondDaemon startWithGpuDriver() {
        assumeSupported();
        SecondDaemon daemon = claim();
        daemon.gpuHook = true;
        daemon.launch();
        return daemon;
    }

    private boolean gpuHook;
    private boolean forwarding;
    private final List<String> listeners = new ArrayList<>();
    private Path hidden;

    /**
     * A second dockerd in a mount namespace of its own where {@code hidden} is an empty tmpfs: it sees this
     * machine's files except those, as a remote engine that does not share them would.
     */
    public static SecondDaemon startHiding(Path hidden) {
        assumeSupported();
        Assumptions.assumeTrue(HostCommand.installed("unshare"), "hiding files from a dockerd needs unshare");
        SecondDaemon daemon = claim();
        daemon.hidden = hidden;
        daemon.launch();
        return daemon;
    }

    /**
     * A second dockerd that also listens on {@code tcp://127.0.0.1:port} with TLS, verifying clients against
     * {@code certs/ca.pem} and presenting {@code certs/server-cert.pem} ({@link TestCertificates}).
     */
    public static SecondDaemon startWithTls(int port, Path certs) {
        assumeSupported();
        SecondDaemon daemon = claim();
        daemon.listeners.addAll(List.of("--host", "tcp://127.0.0.1:" + port, "--tlsverify",
                "--tlscacert", certs.resolve("ca.pem").toString(),
                "--tlscert", certs.resolve("server-cert.pem").toString(),
                "--tlskey", certs.resolve("server-key.pem").toString()));
        daemon.launch();
        return daemon;
    }

    /** Skips the calling test, saying why, when this machine cannot run a second dockerd (not root, no dockerd). */
    public static void assumeSupported() {
        Assumptions.assumeTrue(isRoot(), "a second dockerd needs root; this JVM runs as uid " + uid());
        for (String tool : List.of("dockerd", "docker", "ip")) {
            Assumptions.assumeTrue(HostCommand.installed(tool),
                () -> "a second dockerd needs " + tool + " on the PATH (Debian: apt-get install docker.io iproute2)");
        }
    }

    /** The daemon's address, for {@code docker -H} and a Docker client: {@code unix:///tmp/gantry-d2-…/docker.sock}. */
    public String url() {
        return url;
    }

    /** The address pool its networks take their subnets from, e.g. 10.213.0.0/16 (never the main engine's). */
    public String addressPool() {
        return scrub.subnet();
    }

    /** Its log, for a failing test's message. */
    public Path log() {
        return dir.resolve("dockerd.log");
    }

    /** Copies an image from the main engine ({@code docker save | docker -H url load}); fails the test if that fails. */
    public void load(String image) {
        HostCommand.Result result = HostCommand.run(List.of("bash", "-c",
                "set -o pipefail; docker -H \"$1\" save \"$2\" | docker -H \"$3\" load -q", "load",
                DockerAvailable.URL, image, url), Map.of(), Duration.ofMinutes(5));
        if (!result.ok()) {
            fail("could not copy " + image + " from " + DockerAvailable.URL + " to " + url + ": " + result.output());
        }
    }

    /** Runs the docker CLI against this daemon. */
    public HostCommand.Result docker(String... arguments) {
        List<String> command = new ArrayList<>(List.of("docker", "-H", url));
        command.addAll(List.of(arguments));
        return HostCommand.run(command);
    }

    /** SIGKILLs dockerd (its containerd dies with it): the host is gone for its clients until {@link #stop()}. */
    public synchronized void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while killing " + url, e);
            }
        }
    }

    /**
     * Stops the daemon (its containers removed, its networks pruned, then SIGTERM, SIGKILL after a minute) and
     * removes every process, mount, bridge, rule and file it left. Idempotent; works after {@link #kill()}.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            if (process != null && process.isAlive()) {
                HostCommand.Result ids = docker("ps", "-aq");
                if (ids.ok() && !ids.output().isBlank()) {
                    List<String> rm = new ArrayList<>(List.of("rm", "-f"));
                    rm.addAll(List.of(ids.output().strip().split("\\s+")));
                    docker(rm.toArray(String[]::new));
                }
                docker("network", "prune", "-f");
                process.destroy();
                if (!process.waitFor(STOP_BUDGET.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            scrub.run();
            removeShutdownHook();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void launch() {
        try {
            Files.writeString(dir.resolve("daemon.json"), "{}\n");
            String bridge = bridgeName(pool);
            HostCommand.run(List.of("ip", "link", "delete", bridge));
            requireOk(HostCommand.run(List.of("ip", "link", "add", bridge, "type", "bridge")), "ip link add " + bridge);
            requireOk(HostCommand.run(List.of("ip", "link", "set", bridge, "up")), "ip link set " + bridge + " up");
            if (HostCommand.installed("iptables") && !forwarding) {
                HostCommand.run(scrub.forwardRule("-I"));
                forwarding = true;
            }
            String namespace = dir.getFileName().toString();
            List<String> command = new ArrayList<>(List.of("dockerd",
                "--config-file", dir.resolve("daemon.json").toString(),
                "--host", url,
                "--data-root", dir.resolve("data").toString(),
                "--exec-root", dir.resolve("exec").toString(),
                "--pidfile", dir.resolve("docker.pid").toString(),
                "--containerd-namespace", namespace,
                "--containerd-plugins-namespace", namespace + "-plugins",
                "--bridge", bridge,
                "--iptables=false",
                "--default-address-pool", "base=" + scrub.subnet() + ",size=24"));
            command.addAll(listeners);
            if (hidden != null) {
                command.addAll(0, List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                        "mount -t tmpfs gantry-hidden \"$0\" && exec \"$@\"", hidden.toString()));
            }
            Files.writeString(dir.resolve("command"), String.join(" ", command) + "\n");
            ProcessBuilder pb = new ProcessBuilder(command);
            if (gpuHook) {
                Path bin = Files.createDirectories(dir.resolve("bin"));
                Path hook = bin.resolve("nvidia-container-runtime-hook");
                Files.writeString(hook, "#!/bin/sh\ncat >/dev/null\nexit 0\n");
                hook.toFile().setExecutable(true);
                pb.environment().put("PATH", bin + ":" + pb.environment().getOrDefault("PATH", "/usr/sbin:/usr/bin"));
            }
            process = pb.redirectErrorStream(true)
                .redirectOutput(log().toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
            shutdownHook = new Thread(this::stop, "stop " + url);
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            awaitAnswer();
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | AssertionError e) {
            stop();
            throw e;
        }
    }

    private void awaitAnswer() {
        Instant deadline = Instant.now().plus(START_BUDGET);
        while (true) {
            if (docker("version", "--format", "{{.Server.Version}}").ok()) {
                return;
            }
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                String reason = process.isAlive() ? "did not answer within " + START_BUDGET : "exited with " + process.exitValue();
                fail("the second dockerd at " + url + " " + reason + "; its log ends with:\n" + tail(log(), 15));
            }
            DaemonScrub.sleep(200);
        }
    }

    private void removeShutdownHook() {
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting; the hook runs stop(), which is idempotent
            }
        }
    }

    /**
     * Under a lock shared by every JVM on the machine: removes the directories of second daemons whose test JVM is
     * gone (stopping their daemon if it still runs), then takes an address pool no live daemon and no host route
     * uses, and creates this daemon's directory recording its owner and pool.
     */
    private static SecondDaemon claim() {
        try (FileChannel channel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            Set<Integer> taken = new HashSet<>(routedPools());
            for (Path other : leftoverDirectories()) {
                int otherPool = readPool(other);
                if (ownerAlive(other)) {
                    taken.add(otherPool);
                } else if (otherPool >= 0) {
                    new DaemonScrub(other, other.getFileName().toString(), otherPool, bridgeName(otherPool)).run();
                } else {
                    DaemonScrub.deleteTree(other);
                }
            }
            for (int pool = FIRST_POOL; pool <= LAST_POOL; pool++) {
                if (!taken.contains(pool)) {
                    Path dir = Files.createTempDirectory(TMP, PREFIX);
                    ProcessHandle self = ProcessHandle.current();
                    Files.writeString(dir.resolve("owner"), self.pid() + " " + self.info().startInstant().orElse(Instant.EPOCH) + "\n");
                    Files.writeString(dir.resolve("pool"), pool + "\n");
                    return new SecondDaemon(dir, pool);
                }
            }
            throw new IllegalStateException("no free address pool among 10." + FIRST_POOL + "-" + LAST_POOL + ".0.0/16");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> leftoverDirectories() throws IOException {
        try (Stream<Path> entries = Files.list(TMP)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(PREFIX) && Files.isDirectory(p)).toList();
        }
    }

    private static boolean ownerAlive(Path dir) {
        String[] owner = DaemonScrub.readOrEmpty(dir.resolve("owner")).strip().split(" ");
        if (owner.length != 2) {
            return false;
        }
        return DaemonScrub.alive(Long.parseLong(owner[0]))
            .map(p -> p.info().startInstant().orElse(Instant.EPOCH).toString().equals(owner[1]))
            .orElse(false);
    }

    private static int readPool(Path dir) {
        String text = DaemonScrub.readOrEmpty(dir.resolve("pool")).strip();
        return text.matches("\\d+") ? Integer.parseInt(text) : -1;
    }

    /**
     * Second octets of the 10.x.0.0/16 ranges that a route on the host as specific as /16 or more falls in (a
     * wider route, such as a 10.0.0.0/8 VPN, does not clash: the bridges' narrower routes win).
     */
    private static Set<Integer> routedPools() {
        Set<Integer> pools = new HashSet<>();
        String[] lines = DaemonScrub.readOrEmpty(Path.of("/proc/net/route")).split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] fields = lines[i].trim().split("\\s+");
            if (fields.length > 7) {
                int destination = Integer.reverseBytes(Integer.parseUnsignedInt(fields[1], 16));
                int prefix = Integer.bitCount(Integer.parseUnsignedInt(fields[7], 16));
                if (prefix >= 16 && destination >>> 24 == 10) {
                    pools.add((destination >>> 16) & 0xff);
                }
            }
        }
        return pools;
    }

    private static String bridgeName(int pool) {
        return PREFIX + pool;
    }

    private static void requireOk(HostCommand.Result result, String what) {
        if (!result.ok()) {
            fail(what + " failed: " + result.output());
        }
    }

    private static String tail(Path file, int lines) {
        String[] all = DaemonScrub.readOrEmpty(file).split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    private static boolean isRoot() {
        return uid() == 0;
    }

    private static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}
