package dev.gantry.cli.record;

import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.event.BuildInfo;
import dev.gantry.engine.event.BuildListener;
import dev.gantry.store.BuildRow;
import dev.gantry.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a build into the store as it runs: the build when it starts and ends, each task when it ends, and its
 * output in chunks of {@link #CHUNK_LINES} lines (the rest when the task ends), so a server reading the same
 * store sees the run live.
 */
public final class StoreRecorder implements BuildListener {

    static final int CHUNK_LINES = 200;

    private final Store store;
    private final Map<String, String> jobs;
    private final Map<String, BuildRow.TaskRow> tasks = new LinkedHashMap<>();
    private final Map<String, Instant> started = new HashMap<>();
    private final Map<String, StringBuilder> pending = new HashMap<>();
    private final Map<String, Integer> pendingLines = new HashMap<>();
    private BuildInfo build;
    private Instant buildStarted;

    /** @param jobs each task's job, by task name */
    public StoreRecorder(Store store, Map<String, String> jobs) {
        this.store = store;
        this.jobs = Map.copyOf(jobs);
    }

    @Override
    public synchronized void on(BuildEvent event) {
        if (event instanceof BuildEvent.BuildStarted e) {
            build = e.build();
            buildStarted = e.at();
            e.tasks().forEach(t -> tasks.put(t, new BuildRow.TaskRow(t, jobs.getOrDefault(t, t), "queued", 0, null,
                    null, null, null)));
            save("running", null);
        } else if (event instanceof BuildEvent.TaskStarted e) {
            started.put(e.task(), e.at());
        } else if (event instanceof BuildEvent.LogLine e) {
            pending.computeIfAbsent(e.task(), t -> new StringBuilder()).append(e.line()).append('\n');
            if (pendingLines.merge(e.task(), 1, Integer::sum) >= CHUNK_LINES) {
                flush(e.task());
            }
        } else if (event instanceof BuildEvent.TaskFinished e) {
            flush(e.task());
            BuildRow.TaskRow row = new BuildRow.TaskRow(e.task(), jobs.getOrDefault(e.task(), e.task()),
                    e.state().label(), e.attempts(), started.get(e.task()), e.at(), e.duration().toMillis(),
                    e.reason());
            tasks.put(e.task(), row);
            store.builds().saveTask(build.id(), row);
        } else if (event instanceof BuildEvent.BuildFinished e) {
            new ArrayList<>(pending.keySet()).forEach(this::flush);
            save(e.state().label(), e.at());
        }
    }

    private void flush(String task) {
        StringBuilder text = pending.remove(task);
        pendingLines.remove(task);
        if (text != null && text.length() > 0) {
            store.logs().append(build.id(), task, text.toString());
        }
    }

    private void save(String status, Instant finishedAt) {
        List<BuildRow.TaskRow> rows = new ArrayList<>(tasks.values());
        store.builds().save(new BuildRow(build.id(), build.pipelineName(), build.number(), build.pipelineFile(),
                build.pipelineDigest(), build.revision().commit(), build.revision().branch(), build.revision().tag(),
                build.trigger(), status, buildStarted, finishedAt, rows));
    }
}
