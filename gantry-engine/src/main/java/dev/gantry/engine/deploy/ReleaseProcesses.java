package dev.gantry.engine.deploy;

import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.process.ProcessTree;
import dev.gantry.engine.telemetry.NvidiaSmi;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Starts a release's process detached from Gantry (its own session, output appended to {@code service.log}, no
 * pipe to this JVM), so it outlives the build and the server; finds and stops it by its marker, never by name.
 */
public final class ReleaseProcesses {

    public static final String SERVICE_LOG = "service.log";

    private static final boolean HAS_SETSID = Files.isExecutable(Path.of("/usr/bin/setsid"))
            || Files.isExecutable(Path.of("/bin/setsid"));
    private static final long POLL_MS = 50;

    /** Markers a detached process must not inherit: it would be stopped with the task (or release) that has them. */
    private static final List<String> MARKERS = List.of("GANTRY_TASK_ID", "GANTRY_STEP_ID", "GANTRY_SERVICE_ID",
            "GANTRY_ATTEMPT", "GANTRY_TIMINGS_FILE", "GANTRY_QUEUE_URL", LaunchRecord.MARKER_KEY, "GANTRY_PROXY_ID");

    private ReleaseProcesses() {
    }

    /**
     * {@code env} without the markers of the task, step, services or release it comes from, nor the addresses of
     * the task's services (gone when the task ends): what a process that outlives them starts with.
     */
    public static Map<String, String> detached(Map<String, String> env) {
        Map<String, String> e = new java.util.HashMap<>(env);
        MARKERS.forEach(e::remove);
        e.keySet().removeIf(k -> k.startsWith("GANTRY_SERVICE_"));
        return e;
    }

    /**
     * Starts {@code record}'s command in its directory. The returned handle is only for noticing an early exit
     * while it starts; the process lives on without it.
     */
    public static Process launch(LaunchRecord record, Path releaseDir) throws IOException {
        List<String> command = new ArrayList<>();
        if (HAS_SETSID) {
            command.add("setsid");
        }
        command.addAll(record.shell());
        command.add(record.command());
        Path dir = record.directory() == null ? releaseDir : releaseDir.resolve(record.directory()).normalize();
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(releaseDir.resolve(SERVICE_LOG).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(record.env());
        pb.environment().put(LaunchRecord.MARKER_KEY, record.releaseId());
        return pb.start();
    }

    /** The release's live processes. */
    public static Set<Long> pids(LaunchRecord record) {
        return ProcessTree.find(new ProcessTree.Selector(record.marker(), 0, 0));
    }

    public static boolean isRunning(LaunchRecord record) {
        return !pids(record).isEmpty();
    }

    /** Its stop signal, its grace period, then SIGKILL, for every process carrying its marker. */
    public static void stop(LaunchRecord record) {
        ProcessTree.terminate(new ProcessTree.Selector(record.marker(), 0, 0),
                record.stopSignal() == null ? "TERM" : record.stopSignal(),
                record.grace() == null ? Duration.ofSeconds(10) : record.grace());
    }

    /**
     * Waits until nothing listens on {@code port} of {@code address}: on this machine, until the port can be bound;
     * on another (a remote Docker host), until a connection to it is refused. False if something still listens
     * after {@code limit}.
     */
    public static boolean awaitPortFree(String address, int port, Duration limit, Cancellation cancel) {
        boolean here = address.equals("127.0.0.1") || address.equals("localhost");
        long end = System.nanoTime() + limit.toNanos();
        while (!cancel.isCancelled()) {
            if (here ? portFree(port) : refused(address, port)) {
                return true;
            }
            if (System.nanoTime() > end) {
                return false;
            }
            sleep(POLL_MS);
        }
        return false;
    }

    private static boolean refused(String address, int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new InetSocketAddress(address, port), 2000);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Where {@code nvidia-smi} is on the PATH, waits until none of {@code pids} holds GPU memory; returns what
     * still holds it after {@code limit}, empty when all was released (or there is no nvidia-smi).
     */
    public static Optional<String> awaitGpuReleased(Set<Long> pids, Map<String, String> env, Duration limit,
                                                    Cancellation cancel) {
        NvidiaSmi smi = new NvidiaSmi(env.getOrDefault("PATH", System.getenv("PATH")));
        if (pids.isEmpty() || !smi.available()) {
            return Optional.empty();
        }
        long end = System.nanoTime() + limit.toNanos();
        while (!cancel.isCancelled()) {
            Optional<NvidiaSmi.Snapshot> snap = smi.query();
            if (snap.isEmpty()) {
                return Optional.empty();
            }
            List<Long> holding = pids.stream().filter(p -> snap.get().memoryByPid().getOrDefault(p, 0L) > 0)
                    .toList();
            if (holding.isEmpty()) {
                return Optional.empty();
            }
            if (System.nanoTime() > end) {
                return Optional.of("processes " + holding + " still hold GPU memory");
            }
            sleep(500);
        }
        return Optional.empty();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
