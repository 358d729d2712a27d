package dev.gantry.engine.pool;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Counts the GPUs {@code nvidia-smi -L} lists: the default size of the {@code gpu} pool (0 without one). */
public final class GpuDetector {

    private GpuDetector() {
    }

    public static int count(String path) {
        if (path == null || !onPath("nvidia-smi", path)) {
            return 0;
        }
        try {
            Process p = new ProcessBuilder("nvidia-smi", "-L").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return 0;
            }
            return countListed(out);
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Lines of the form {@code GPU 0: NVIDIA H100 (UUID: ...)}. */
    public static int countListed(String nvidiaSmiList) {
        return (int) nvidiaSmiList.lines().filter(l -> l.matches("GPU \\d+:.*")).count();
    }

    private static boolean onPath(String command, String path) {
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && new File(dir, command).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
