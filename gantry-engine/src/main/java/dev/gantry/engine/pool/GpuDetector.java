package dev.gantry.engine.pool;

import dev.gantry.engine.telemetry.NvidiaSmi;

/**
 * Counts the GPUs {@code nvidia-smi -L} lists: the default size of the {@code gpu} pool (0 without one, or when it
 * fails or hangs).
 */
public final class GpuDetector {

    private GpuDetector() {
    }

    public static int count(String path) {
        return new NvidiaSmi(path).list().map(GpuDetector::countListed).orElse(0);
    }

    /** Lines of the form {@code GPU 0: NVIDIA H100 (UUID: ...)}. */
    public static int countListed(String nvidiaSmiList) {
        return (int) nvidiaSmiList.lines().filter(l -> l.matches("GPU \\d+:.*")).count();
    }
}
