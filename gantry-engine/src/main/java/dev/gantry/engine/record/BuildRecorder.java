package dev.gantry.engine.record;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.gantry.core.pipeline.Durations;
import dev.gantry.core.plan.Plan;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.event.BuildInfo;
import dev.gantry.engine.event.BuildListener;
import dev.gantry.engine.run.TaskKeys;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the record of a build under its directory: each task's full log in {@code logs/TASK.log}, written as it
 * is produced, and {@code build.json} (number, pipeline digest, revision, trigger, times, each task's status,
 * attempts and duration), rewritten atomically at start and at end. The future database store imports these.
 */
public final class BuildRecorder implements BuildListener {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final BuildInfo build;
    private final Map<String, String> jobOf = new HashMap<>();
    private final Map<String, BufferedWriter> logs = new HashMap<>();
    private final java.util.Set<String> finished = new java.util.HashSet<>();
    private final Map<String, Map<String, Object>> tasks = new LinkedHashMap<>();
    private Instant startedAt;

    public BuildRecorder(BuildInfo build, Plan plan) {
        this.build = build;
        jobOf.putAll(plan.jobsByTask());
    }

    /** Where a service's output is kept: beside its task's log. */
    public Path serviceLogFile(String task, String service) {
        return build.dir().resolve("logs").resolve(TaskKeys.key(task) + ".service-" + service + ".log");
    }

    private static final java.util.regex.Pattern MARKER = java.util.regex.Pattern.compile(
            "--- step: .*|--- step .*: \\S+( \\(.*\\))? in .*|--- service .* ready in .*|--- attempt \\d+ of \\d+");

    /**
     * Whether a line of a task's log file is one this recorder adds between the task's own lines (a step's start
     * and end, a service ready, an attempt): the store's log of a task has its output only, so whoever compares
     * the two (recovery after a crash) skips these.
     */
    public static boolean isMarker(String line) {
        return MARKER.matcher(line).matches();
    }

    /** A marker is one line (a reason may quote a service's last lines): recovery reads the log line by line. */
    private static String oneLine(String text) {
        return String.join(" | ", text.lines().toList());
    }

    /** Where a task's full log is kept. */
    public Path logFile(String task) {
        return build.dir().resolve("logs").resolve(TaskKeys.key(task) + ".log");
    }

    @Override
    public synchronized void on(BuildEvent event) {
        try {
            if (event instanceof BuildEvent.BuildStarted e) {
                startedAt = e.at();
                Files.createDirectories(build.dir().resolve("logs"));
                e.tasks().forEach(t -> tasks.put(t, task(t)));
                write(null, null);
            } else if (event instanceof BuildEvent.StepStarted e) {
                log(e.task(), "--- step: " + oneLine(e.step()));
            } else if (event instanceof BuildEvent.LogLine e) {
                log(e.task(), e.line());
            } else if (event instanceof BuildEvent.ServiceLog e) {
                appendTo(serviceLogFile(e.task(), e.service()), e.line());
            } else if (event instanceof BuildEvent.TelemetrySampled e) {
                Path csv = build.dir().resolve("telemetry").resolve(TaskKeys.key(e.task()) + ".csv");
                if (!Files.exists(csv)) {
                    Files.createDirectories(csv.getParent());
                    appendTo(csv, "time,scope,cpu_percent,rss_bytes,gpu_utilization_percent,gpu_memory_bytes");
                }
                var t = e.sample();
                appendTo(csv, t.at() + "," + t.scope() + "," + String.format(java.util.Locale.ROOT, "%.1f", t.cpuPercent())
                        + "," + t.rssBytes() + "," + (t.gpuUtilizationPercent() == null ? "" : t.gpuUtilizationPercent())
                        + "," + (t.gpuMemoryBytes() == null ? "" : t.gpuMemoryBytes()));
            } else if (event instanceof BuildEvent.ArtifactsSaved e) {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("task", e.task());
                a.put("name", e.name());
                a.put("path", build.dir().relativize(e.directory()).toString());
                a.put("files", e.files());
                a.put("bytes", e.bytes());
                artifacts.add(a);
            } else if (event instanceof BuildEvent.TelemetrySummarized e) {
                tasks.get(e.task()).put("telemetry", e.summaries());
            } else if (event instanceof BuildEvent.ServiceReady e) {
                log(e.task(), "--- service " + e.service() + " ready in " + Durations.format(e.startup())
                        + " (" + e.probe() + ")");
            } else if (event instanceof BuildEvent.AttemptStarted e && e.maxAttempts() > 1) {
                log(e.task(), "--- attempt " + e.attempt() + " of " + e.maxAttempts());
            } else if (event instanceof BuildEvent.StepFinished e) {
                log(e.task(), "--- step " + oneLine(e.step()) + ": " + e.outcome().state().label()
                        + (e.outcome().reason() == null ? "" : " (" + oneLine(e.outcome().reason()) + ")")
                        + " in " + Durations.format(e.duration()));
            } else if (event instanceof BuildEvent.TaskStarted e) {
                tasks.get(e.task()).put("startedAt", e.at().toString());
            } else if (event instanceof BuildEvent.TaskFinished e) {
                Map<String, Object> t = tasks.get(e.task());
                t.put("status", e.state().label());
                t.put("attempts", e.attempts());
                t.put("finishedAt", e.at().toString());
                t.put("durationMs", e.duration().toMillis());
                t.put("reason", e.reason());
                finished.add(e.task());
                BufferedWriter w = logs.remove(e.task());
                if (w != null) {
                    w.close();
                }
            } else if (event instanceof BuildEvent.BuildFinished e) {
                for (BufferedWriter w : serviceLogs.values()) {
                    w.close();
                }
                serviceLogs.clear();
                write(e.state().label(), e.at());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the build record under " + build.dir(), e);
        }
    }

    private Map<String, Object> task(String name) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", name);
        t.put("job", jobOf.get(name));
        t.put("status", "queued");
        t.put("attempts", 0);
        t.put("log", build.dir().relativize(logFile(name)).toString());
        return t;
    }

    private void log(String task, String line) throws IOException {
        if (finished.contains(task)) {
            return; // a stopped background process flushing its last words after the task ended
        }
        BufferedWriter w = logs.get(task);
        if (w == null) {
            w = Files.newBufferedWriter(logFile(task), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            logs.put(task, w);
        }
        w.write(line);
        w.newLine();
        w.flush();
    }

    private final Map<Path, BufferedWriter> serviceLogs = new HashMap<>();
    private final List<Map<String, Object>> artifacts = new ArrayList<>();

    private void appendTo(Path file, String line) throws IOException {
        BufferedWriter w = serviceLogs.get(file);
        if (w == null) {
            w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            serviceLogs.put(file, w);
        }
        w.write(line);
        w.newLine();
        w.flush();
    }

    private void write(String status, Instant finishedAt) throws IOException {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("number", build.number());
        record.put("id", build.id());
        record.put("pipeline", Map.of("name", build.pipelineName(), "file", build.pipelineFile(),
                "digest", build.pipelineDigest()));
        Map<String, Object> rev = new LinkedHashMap<>();
        rev.put("commit", build.revision().commit());
        rev.put("branch", build.revision().branch());
        rev.put("tag", build.revision().tag());
        record.put("revision", rev);
        record.put("trigger", build.trigger());
        record.put("status", status == null ? "running" : status);
        record.put("startedAt", startedAt.toString());
        record.put("finishedAt", finishedAt == null ? null : finishedAt.toString());
        record.put("durationMs", finishedAt == null ? null : finishedAt.toEpochMilli() - startedAt.toEpochMilli());
        List<Map<String, Object>> list = new ArrayList<>(tasks.values());
        record.put("tasks", list);
        record.put("artifacts", artifacts);
        AtomicFiles.write(build.dir().resolve("build.json"), JSON.writeValueAsBytes(record));
    }
}
