package dev.gantry.engine.telemetry;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * GPU telemetry from {@code nvidia-smi}'s CSV queries: utilisation and memory per GPU, and GPU memory per process.
 * The parsers are separate from running the command so they can be tested on recorded output.
 */
public final class NvidiaSmi {

    static final String GPU_QUERY = "--query-gpu=index,utilization.gpu,memory.used,memory.total";
    static final String APPS_QUERY = "--query-compute-apps=pid,used_memory";
    private static final String CSV = "--format=csv,noheader,nounits";
    private static final long MIB = 1024 * 1024;
    /** The longest one query may take. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** One GPU's state. */
    public record Gpu(int index, Integer utilizationPercent, long memoryUsedBytes, long memoryTotalBytes) {
    }

    /** A snapshot: every GPU, and GPU memory by process id. */
    public record Snapshot(List<Gpu> gpus, Map<Long, Long> memoryByPid) {
    }

    private final String path;

    /** @param path the PATH to find {@code nvidia-smi} on */
    public NvidiaSmi(String path) {
        this.path = path;
    }

    public boolean available() {
        return executable().isPresent();
    }

    /** {@code nvidia-smi} as found on {@link #path}, which is what {@link #available} looks at too. */
    private Optional<File> executable() {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, "nvidia-smi");
            if (!dir.isEmpty() && f.canExecute()) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /**
     * Queries both; empty when nvidia-smi is missing, fails, or hangs for {@link #TIMEOUT}. Blocks the calling
     * thread that long, so callers sample on a thread of their own, never on one that serves deadlines.
     */
    public Optional<Snapshot> query() {
        Optional<File> exe = executable();
        if (exe.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> gpus = run(exe.get(), GPU_QUERY, CSV);
        if (gpus.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> apps = run(exe.get(), APPS_QUERY, CSV);
        return Optional.of(new Snapshot(parseGpus(gpus.get()), apps.map(NvidiaSmi::parseApps).orElse(Map.of())));
    }

    /**
     * Runs one query with its output going to a file, so the wait is bounded even when nvidia-smi hangs with its
     * output open; a command still running at the end (timed out, or the caller was interrupted) is killed with
     * its children.
     */
    /** The output of {@code nvidia-smi -L}, one GPU a line; empty when missing, failing or hung. */
    public Optional<String> list() {
        return executable().flatMap(exe -> run(exe, "-L"));
    }

    private static Optional<String> run(File exe, String... args) {
        Path out = null;
        Process p = null;
        try {
            out = Files.createTempFile("gantry-nvidia-smi-", ".csv");
            List<String> command = new ArrayList<>(List.of(exe.getPath()));
            command.addAll(List.of(args));
            p = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                return Optional.empty();
            }
            return Optional.of(Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (p != null && p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    // a few bytes in the temporary directory
                }
            }
        }
    }

    /** Lines of {@code index, utilization.gpu, memory.used, memory.total} in MiB; "[N/A]" reads as unknown. */
    public static List<Gpu> parseGpus(String csv) {
        List<Gpu> gpus = new ArrayList<>();
        for (String line : csv.split("\n")) {
            String[] f = line.trim().split("\\s*,\\s*");
            if (f.length < 4 || !f[0].matches("\\d+")) {
                continue;
            }
            gpus.add(new Gpu(Integer.parseInt(f[0]), number(f[1]).map(Double::intValue).orElse(null),
                    number(f[2]).map(v -> (long) (v * MIB)).orElse(0L),
                    number(f[3]).map(v -> (long) (v * MIB)).orElse(0L)));
        }
        return gpus;
    }

    /** Lines of {@code pid, used_memory} in MiB. */
    public static Map<Long, Long> parseApps(String csv) {
        Map<Long, Long> byPid = new HashMap<>();
        for (String line : csv.split("\n")) {
            String[] f = line.trim().split("\\s*,\\s*");
            if (f.length < 2 || !f[0].matches("\\d+")) {
                continue;
            }
            long pid = Long.parseLong(f[0]);
            number(f[1]).ifPresent(v -> byPid.merge(pid, (long) (v * MIB), Long::sum));
        }
        return byPid;
    }

    private static Optional<Double> number(String s) {
        try {
            return Optional.of(Double.parseDouble(s.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
