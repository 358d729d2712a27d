package dev.gantry.engine.exec;

import dev.gantry.engine.process.ProcessTree;
import dev.gantry.engine.workspace.Directories;
import dev.gantry.engine.workspace.SourceTree;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs steps as local processes. Each working copy is a private copy of the source tree under {@code workRoot};
 * each step starts through {@code setsid}, so it leads a process group of its own that Gantry can stop whole. When
 * Gantry itself was started with signals ignored (from a script's background, nohup), which its processes would
 * inherit, each also starts through {@code env --default-signal}, so that a service stopped with
 * {@code signal: INT} hears it; otherwise that extra exec (about 0.7 ms a step) is skipped.
 */
public final class LocalExecutor implements Executor {

    private static final boolean HAS_SETSID = Files.isExecutable(Path.of("/usr/bin/setsid"))
            || Files.isExecutable(Path.of("/bin/setsid"));

    /** Whether steps must have ignored signals reset, and {@code env} can (GNU coreutils 8.31 and later). */
    private static final boolean ENV_RESETS_SIGNALS = ignoresSignals() && envResetsSignals();

    private final SourceTree source;
    private final Path workRoot;
    private final Map<String, Integer> pools;
    private final dev.gantry.engine.pool.Placement placement;

    public LocalExecutor(SourceTree source, Path workRoot, Map<String, Integer> pools) {
        this.source = source;
        this.workRoot = workRoot;
        this.pools = Map.copyOf(pools);
        this.placement = dev.gantry.engine.pool.Placement.local(this.pools);
    }

    @Override
    public Map<String, Integer> pools() {
        return pools;
    }

    @Override
    public dev.gantry.engine.pool.Placement placement() {
        return placement;
    }

    @Override
    public Path prepareWorkingCopy(String taskKey, int attempt) throws IOException {
        Path copy = workRoot.resolve(taskKey + "-" + attempt);
        Directories.deleteTree(copy);
        source.copyTo(copy);
        return copy.resolve(source.pipelineDir());
    }

    @Override
    public void discardWorkingCopy(Path workingCopy) {
        Path top = workingCopy;
        while (top.getParent() != null && !top.getParent().equals(workRoot)) {
            top = top.getParent();
        }
        try {
            Directories.deleteTree(top);
        } catch (IOException e) {
            // a leftover working copy costs disk, not correctness; the next build's cleanup retries
        }
    }

    @Override
    public StepProcess start(ProcessSpec spec) throws IOException {
        List<String> command = new ArrayList<>();
        if (HAS_SETSID) {
            command.add("setsid");
        }
        if (ENV_RESETS_SIGNALS) {
            command.addAll(List.of("env", "--default-signal"));
        }
        command.addAll(spec.command());
        ProcessBuilder pb = new ProcessBuilder(command).directory(spec.directory().toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(spec.env());
        Process process = pb.start();
        process.getOutputStream().close();
        return new LocalStepProcess(process, spec.marker());
    }

    @Override
    public void stopAll(String marker, Duration grace) {
        ProcessTree.terminate(new ProcessTree.Selector(marker, 0, 0), "TERM", grace);
    }

    private record LocalStepProcess(Process process, String marker) implements StepProcess {

        @Override
        public InputStream output() {
            return process.getInputStream();
        }

        @Override
        public int waitFor() throws InterruptedException {
            return process.waitFor();
        }

        @Override
        public java.util.concurrent.CompletableFuture<Integer> exit() {
            return process.onExit().thenApply(Process::exitValue);
        }

        @Override
        public void stop(String signal, Duration grace) {
            long pid = process.pid();
            ProcessTree.terminate(new ProcessTree.Selector(marker, HAS_SETSID ? pid : 0, pid), signal, grace);
        }
    }

    /** Whether this JVM was started with any signal ignored (its children would inherit that), from /proc. */
    private static boolean ignoresSignals() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("SigIgn:"))
                    .anyMatch(l -> Long.parseUnsignedLong(l.substring("SigIgn:".length()).trim(), 16) != 0);
        } catch (IOException | RuntimeException e) {
            return false; // no /proc: not Linux, nothing to reset this way
        }
    }

    private static boolean envResetsSignals() {
        try {
            Process p = new ProcessBuilder("env", "--default-signal", "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
