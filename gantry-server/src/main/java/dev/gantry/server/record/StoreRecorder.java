package dev.gantry.server.record;

import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.event.BuildInfo;
import dev.gantry.engine.event.BuildListener;
import dev.gantry.store.BuildRow;
import dev.gantry.store.ResultRows;
import dev.gantry.store.StepRow;
import dev.gantry.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a build into the store as it runs: the build when it starts and ends, each task and step as it starts
 * and ends, its output through a {@link LogHub} (so watchers see it live), test results, artifacts, cache saves
 * and restores, and telemetry samples. {@code gantry run} and the server record the same way, so the server shows
 * both.
 */
public final class StoreRecorder implements BuildListener {

    private static final int TELEMETRY_BATCH = 20;

    private final Store store;
    private final LogHub logs;
    private final Map<String, String> jobs;
    private final String author;
    private final String message;
    private final Map<String, BuildRow.TaskRow> tasks = new LinkedHashMap<>();
    private final Map<String, Instant> started = new HashMap<>();
    private final Map<String, Integer> stepCount = new HashMap<>();
    private final Map<String, StepRow> openSteps = new HashMap<>();
    private final List<ResultRows.TelemetryRow> samples = new ArrayList<>();
    private BuildInfo build;
    private Instant buildStarted;

    /**
     * @param jobs    each task's job, by task name
     * @param author  the commit's author, or null
     * @param message the commit message's first line, or null
     */
    public StoreRecorder(Store store, LogHub logs, Map<String, String> jobs, String author, String message) {
        this.store = store;
        this.logs = logs;
        this.jobs = Map.copyOf(jobs);
        this.author = author;
        this.message = message;
    }

    @Override
    public void on(BuildEvent event) {
        if (event instanceof BuildEvent.LogLine e) {
            logs.line(build.id(), e.task(), e.line());
            return;
        }
        synchronized (this) {
            record(event);
        }
    }

    private void record(BuildEvent event) {
        if (event instanceof BuildEvent.BuildStarted e) {
            build = e.build();
            buildStarted = e.at();
            e.tasks().forEach(t -> tasks.put(t, new BuildRow.TaskRow(t, jobs.getOrDefault(t, t), "queued", 0, null,
                    null, null, null)));
            save("running", null);
        } else if (event instanceof BuildEvent.TaskStarted e) {
            started.put(e.task(), e.at());
            BuildRow.TaskRow row = new BuildRow.TaskRow(e.task(), jobs.getOrDefault(e.task(), e.task()), "running", 1,
                    e.at(), null, null, null);
            tasks.put(e.task(), row);
            store.builds().saveTask(build.id(), row);
        } else if (event instanceof BuildEvent.StepStarted e) {
            int seq = stepCount.merge(e.task(), 1, Integer::sum) - 1;
            StepRow row = new StepRow(seq, e.step(), "running", e.at(), null);
            openSteps.put(e.task(), row);
            store.builds().saveStep(build.id(), e.task(), row);
        } else if (event instanceof BuildEvent.StepFinished e) {
            StepRow open = openSteps.remove(e.task());
            if (open != null) {
                store.builds().saveStep(build.id(), e.task(), new StepRow(open.seq(), open.name(),
                        e.outcome().state().label(), open.startedAt(), e.duration().toMillis()));
            }
        } else if (event instanceof BuildEvent.TestResultsRecorded e) {
            store.results().addTests(build.id(), e.tests().stream().map(t -> new ResultRows.TestRow(e.task(),
                    t.suite(), t.className(), t.name() == null ? "" : t.name(), t.status().name(), t.seconds(),
                    t.message())).toList());
        } else if (event instanceof BuildEvent.ArtifactsSaved e) {
            store.results().addArtifacts(build.id(), files(e));
        } else if (event instanceof BuildEvent.CacheUsed e) {
            store.results().addCacheUse(build.id(), new ResultRows.CacheRow(e.task(), e.action(), e.key(), e.bytes(),
                    e.took().toMillis(), e.at()));
        } else if (event instanceof BuildEvent.TelemetrySampled e) {
            var s = e.sample();
            samples.add(new ResultRows.TelemetryRow(e.task(), s.scope(), s.at(), s.cpuPercent(), s.rssBytes(),
                    s.gpuUtilizationPercent(), s.gpuMemoryBytes()));
            if (samples.size() >= TELEMETRY_BATCH) {
                flushSamples();
            }
        } else if (event instanceof BuildEvent.TaskFinished e) {
            logs.end(build.id(), e.task());
            flushSamples();
            BuildRow.TaskRow row = new BuildRow.TaskRow(e.task(), jobs.getOrDefault(e.task(), e.task()),
                    e.state().label(), e.attempts(), started.get(e.task()), e.at(), e.duration().toMillis(),
                    e.reason());
            tasks.put(e.task(), row);
            store.builds().saveTask(build.id(), row);
        } else if (event instanceof BuildEvent.BuildFinished e) {
            flushSamples();
            logs.flushAll();
            save(e.state().label(), e.at());
        }
    }

    private void flushSamples() {
        if (!samples.isEmpty()) {
            store.results().addTelemetry(build.id(), List.copyOf(samples));
            samples.clear();
        }
    }

    /** The files an artifacts step kept, relative to the build's {@code artifacts/NAME/} directory. */
    private static List<ResultRows.ArtifactRow> files(BuildEvent.ArtifactsSaved e) {
        Path dir = e.directory();
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().map(f -> {
                try {
                    return new ResultRows.ArtifactRow(e.task(), e.name(),
                            dir.relativize(f).toString().replace('\\', '/'), Files.size(f));
                } catch (IOException ex) {
                    return null;
                }
            }).filter(java.util.Objects::nonNull).toList();
        } catch (IOException ex) {
            return List.of();
        }
    }

    private void save(String status, Instant finishedAt) {
        store.builds().save(new BuildRow(build.id(), build.pipelineName(), build.number(), build.pipelineFile(),
                build.pipelineDigest(), build.revision().commit(), build.revision().branch(), build.revision().tag(),
                author, message, build.trigger(), status, buildStarted, finishedAt, new ArrayList<>(tasks.values())));
    }
}
