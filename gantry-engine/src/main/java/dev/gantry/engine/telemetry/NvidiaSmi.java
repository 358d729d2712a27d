package dev.gantry.engine.telemetry;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
    private static final long MIB = 1024 * 1024;

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
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && new File(dir, "nvidia-smi").canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** Queries both; empty when nvidia-smi is missing or fails. */
    public Optional<Snapshot> query() {
        if (!available()) {
            return Optional.empty();
        }
        Optional<String> gpus = run(GPU_QUERY);
        Optional<String> apps = run(APPS_QUERY);
        if (gpus.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Snapshot(parseGpus(gpus.get()), apps.map(NvidiaSmi::parseApps).orElse(Map.of())));
    }

    private static Optional<String> run(String query) {
        try {
            Process p = new ProcessBuilder("nvidia-smi", query, "--format=csv,noheader,nounits")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(out);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
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
