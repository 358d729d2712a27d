package dev.gantry.engine.service;

import dev.gantry.core.pipeline.ServiceDef;
import dev.gantry.engine.exec.StepProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * A started service: its process, its port, and its output, which is passed line by line to a listener (the
 * log file, a log probe) and whose last lines are kept for failure reports.
 */
public final class RunningService {

    private static final int KEPT_LINES = 15;

    private final ServiceDef def;
    private final int port;
    private final StepProcess process;
    private final java.util.concurrent.CompletableFuture<Integer> exit;
    private final Deque<String> lastLines = new ArrayDeque<>();
    private final Thread pump;

    public RunningService(ServiceDef def, int port, StepProcess process, Consumer<String> lines) {
        this.def = def;
        this.port = port;
        this.process = process;
        this.exit = process.exit();
        this.pump = new Thread(() -> pump(lines), "service-" + def.name());
        pump.setDaemon(true);
        pump.start();
    }

    private void pump(Consumer<String> lines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.output(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (lastLines) {
                    lastLines.addLast(line);
                    if (lastLines.size() > KEPT_LINES) {
                        lastLines.removeFirst();
                    }
                }
                lines.accept(line);
            }
        } catch (IOException e) {
            // the service was stopped
        }
    }

    public ServiceDef def() {
        return def;
    }

    public int port() {
        return port;
    }

    /** Whether its main process has exited; once true, true for good. */
    public boolean exited() {
        return exit.isDone();
    }

    /** The exit code, once the service's main process has exited (waits for it until then). */
    public int exitCode() {
        return exit.join();
    }

    /** Completes with the exit code when its main process exits. */
    public java.util.concurrent.CompletableFuture<Integer> exit() {
        return exit;
    }

    public StepProcess process() {
        return process;
    }

    /** The last lines it printed, indented, for a failure report; waits briefly for output still in the pipe. */
    public String tail() {
        try {
            pump.join(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> copy;
        synchronized (lastLines) {
            copy = new ArrayList<>(lastLines);
        }
        return copy.isEmpty() ? " (it printed nothing)" : "; its last lines:\n    " + String.join("\n    ", copy);
    }

    /** Stops it as its definition says: its stop signal, the grace period, then SIGKILL. */
    public Integer stop(Duration defaultGrace) {
        process.stop(def.stopSignal(), def.gracePeriod() != null ? def.gracePeriod() : defaultGrace);
        try {
            return exit.get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            return null;
        }
    }
}
