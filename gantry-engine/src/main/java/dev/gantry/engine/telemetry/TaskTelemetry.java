package dev.gantry.engine.telemetry;

import dev.gantry.engine.process.ProcessTree;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Samples a task's resource use every interval on a thread of its own: CPU and resident memory of each scope's
 * processes (the whole task; each service), and, where {@code nvidia-smi} exists, the utilisation of the task's
 * GPUs and the GPU memory its processes hold. Each sample goes to {@code onSample}; {@link #close} returns the
 * summaries.
 */
public final class TaskTelemetry implements AutoCloseable {

    private static final Duration JOIN = Duration.ofSeconds(5);

    private final Map<String, Meter> scopes = new LinkedHashMap<>();
    private final Map<String, List<Sample>> samples = new LinkedHashMap<>();
    private final Map<String, ProcStats.Usage> previous = new LinkedHashMap<>();
    private final NvidiaSmi nvidia;
    private final List<Integer> gpus;
    private final Clock clock;
    private final Consumer<Sample> onSample;
    private final Thread thread;
    private volatile boolean closed;
    private long previousAt;

    private TaskTelemetry(NvidiaSmi nvidia, List<Integer> gpus, Clock clock, Duration interval,
                          Consumer<Sample> onSample) {
        this.nvidia = nvidia;
        this.gpus = List.copyOf(gpus);
        this.clock = clock;
        this.onSample = onSample;
        this.thread = new Thread(() -> loop(interval), "telemetry");
        thread.setDaemon(true);
    }

    /**
     * @param taskMarker the task's {@code GANTRY_TASK_ID=...} entry
     * @param gpus       the GPU indices the task was given, whose utilisation is reported
     */
    public static TaskTelemetry start(String taskMarker, NvidiaSmi nvidia, List<Integer> gpus, Clock clock,
                                      Duration interval, Consumer<Sample> onSample) {
        TaskTelemetry t = new TaskTelemetry(nvidia, gpus, clock, interval, onSample);
        t.watch("task", new ProcessTree.Selector(taskMarker, 0, 0));
        t.thread.start();
        return t;
    }

    /** Also samples {@code scope} (e.g. {@code service:tts}) from now on, by its processes' marker. */
    public void watch(String scope, ProcessTree.Selector selector) {
        watch(scope, Meter.of(selector));
    }

    /** Samples {@code scope} through {@code meter} from now on (in place of how it was read before). */
    public synchronized void watch(String scope, Meter meter) {
        scopes.put(scope, meter);
        samples.putIfAbsent(scope, new ArrayList<>());
    }

    private void loop(Duration interval) {
        try {
            while (!closed) {
                try {
                    sampleOnce();
                } catch (RuntimeException e) {
                    // one lost sample is better than no telemetry for the rest of the task
                }
                Thread.sleep(interval.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sampleOnce() {
        NvidiaSmi.Snapshot gpu = nvidia.query().orElse(null);
        long now = System.nanoTime();
        double seconds = previousAt == 0 ? 0 : (now - previousAt) / 1e9;
        previousAt = now;
        Map<String, Meter> current;
        synchronized (this) {
            current = new LinkedHashMap<>(scopes);
        }
        for (Map.Entry<String, Meter> e : current.entrySet()) {
            Meter.Reading reading = e.getValue().read();
            Set<Long> pids = reading.pids();
            ProcStats.Usage usage = reading.usage();
            ProcStats.Usage before = previous.put(e.getKey(), usage);
            double cpu = before == null || seconds == 0 ? 0
                    : Math.max(0, (usage.cpuSeconds() - before.cpuSeconds()) / seconds * 100);
            Integer util = null;
            Long gpuMemory = null;
            if (gpu != null) {
                gpuMemory = pids.stream().mapToLong(p -> gpu.memoryByPid().getOrDefault(p, 0L)).sum();
                OptionalDouble u = gpu.gpus().stream().filter(g -> gpus.contains(g.index())
                        && g.utilizationPercent() != null).mapToInt(NvidiaSmi.Gpu::utilizationPercent).average();
                util = u.isPresent() ? (int) Math.round(u.getAsDouble()) : null;
            }
            Sample s = new Sample(clock.instant(), e.getKey(), cpu, usage.rssBytes(), util, gpuMemory);
            synchronized (this) {
                // under the lock close() takes: a sample is either in the summary or never reported
                if (closed) {
                    return;
                }
                samples.get(e.getKey()).add(s);
                onSample.accept(s);
            }
        }
    }

    /**
     * Stops sampling and summarises every scope that has samples. No sample is reported after this returns; the
     * sampling thread (and an nvidia-smi it waits for) is stopped and joined for at most {@link #JOIN}.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        thread.interrupt();
        try {
            thread.join(JOIN.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        summarise();
    }

    private synchronized void summarise() {
        List<Summary> out = new ArrayList<>();
        samples.forEach((scope, list) -> {
            if (!list.isEmpty()) {
                out.add(Summary.of(scope, list));
            }
        });
        summaries = out;
    }

    private List<Summary> summaries = List.of();

    public synchronized List<Summary> summaries() {
        return summaries;
    }
}
