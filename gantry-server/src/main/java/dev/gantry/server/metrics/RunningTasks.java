package dev.gantry.server.metrics;

import dev.gantry.engine.telemetry.Sample;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The latest resource sample of each running task's scopes (the task, each service), as gauges by pipeline, job
 * and scope; several tasks of one job (shards) add up. A task's series go when it ends.
 */
final class RunningTasks {

    private record Key(String build, String task, String scope) {
    }

    private record Row(String pipeline, String job, Sample sample) {
    }

    private final Map<Key, Row> latest = new ConcurrentHashMap<>();
    private MultiGauge cpu;
    private MultiGauge memory;
    private MultiGauge gpu;
    private MultiGauge gpuMemory;

    void bindTo(MeterRegistry registry) {
        cpu = MultiGauge.builder("gantry.task.cpu").description("CPU use of running tasks, by pipeline, job and"
                + " scope (100 is one core)").baseUnit("percent").register(registry);
        memory = MultiGauge.builder("gantry.task.memory").description("Memory held by running tasks, by"
                + " pipeline, job and scope").baseUnit("bytes").register(registry);
        gpu = MultiGauge.builder("gantry.task.gpu.utilization").description("Utilisation of running tasks' GPUs,"
                + " by pipeline, job and scope").baseUnit("percent").register(registry);
        gpuMemory = MultiGauge.builder("gantry.task.gpu.memory").description("GPU memory held by running tasks,"
                + " by pipeline, job and scope").baseUnit("bytes").register(registry);
        Gauge.builder("gantry.tasks.running", this, r -> r.latest.keySet().stream()
                .filter(k -> k.scope().equals("task")).count()).description("Tasks running now (that have reported"
                + " a resource sample)").register(registry);
    }

    void sampled(String build, String task, String pipeline, String job, Sample s) {
        latest.put(new Key(build, task, s.scope()), new Row(pipeline, job, s));
    }

    void ended(String build, String task) {
        latest.keySet().removeIf(k -> k.build().equals(build) && k.task().equals(task));
    }

    /** Sets the gauges' series from the latest samples (called before each scrape). */
    void refresh() {
        cpu.register(rows(s -> s.cpuPercent()), true);
        memory.register(rows(s -> s.rssBytes()), true);
        gpu.register(rows(s -> s.gpuUtilizationPercent() == null ? Double.NaN : s.gpuUtilizationPercent()), true);
        gpuMemory.register(rows(s -> s.gpuMemoryBytes() == null ? Double.NaN : s.gpuMemoryBytes()), true);
    }

    private List<MultiGauge.Row<?>> rows(ToDoubleFunction<Sample> value) {
        Map<Tags, Double> sums = new LinkedHashMap<>();
        for (Row r : latest.values()) {
            double v = value.applyAsDouble(r.sample());
            if (Double.isNaN(v)) {
                continue;
            }
            sums.merge(Tags.of("pipeline", r.pipeline(), "job", r.job(), "scope", r.sample().scope()), v,
                    Double::sum);
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        sums.forEach((tags, v) -> rows.add(MultiGauge.Row.of(tags, v)));
        return rows;
    }
}
