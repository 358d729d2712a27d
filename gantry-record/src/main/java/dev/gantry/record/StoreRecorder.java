package dev.gantry.record;

import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.event.BuildInfo;
import dev.gantry.engine.event.BuildListener;
import dev.gantry.store.BatchRow;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;

/**
 * Writes a build into the store as it runs: the build when it starts and ends, each task and step as it starts
 * and ends, its output through a {@link LogHub} (so watchers see it live), test results, artifacts, cache saves
 * and restores, telemetry samples, and its batch steps' progress and figures ({@link BatchRecords}).
 * {@code gantry run} and the server record the same way, so the server shows both.
 *
 * <p>The engine calls listeners from its own threads, some of them holding the scheduler's lock, so {@link #on}
 * only queues the event: one writer thread of this recorder applies them to the store, in the order they came.
 * The queue is unbounded on purpose: a full queue would make the scheduler wait for the database, which is what
 * the writer is there to avoid. {@code BuildFinished} is the exception: it returns once everything before it is
 * written, so a build that has returned is in the store. A failed write is reported and the writer goes on with
 * the next event; it never stops the build nor leaves it waiting.
 */
public final class StoreRecorder implements BuildListener, AutoCloseable {

    /** How long a build's end waits for a slow store before it goes on (a hung database must not hold its slot). */
    private static final java.time.Duration PATIENCE = java.time.Duration.ofMinutes(2);

    private static final int TELEMETRY_BATCH = 20;
    private static final Object STOP = new Object();

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
    private final BatchRecords batches = new BatchRecords();
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean finished;
    private BuildInfo build;
    private Instant buildStarted;
    /** The time of the newest event written: when a build that never finished stopped being recorded. */
    private Instant lastAt;

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
        this.writer = new Thread(this::write, "gantry-record");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues the event for the writer; {@code BuildFinished} also waits until all of the build is written. */
    @Override
    public void on(BuildEvent event) {
        if (finished) {
            return; // the record of a build ends with its end; a stray late line has nowhere to go
        }
        if (event instanceof BuildEvent.BuildFinished) {
            finished = true;
            Last last = new Last(event, new CountDownLatch(1));
            queue.add(last);
            awaitWritten(last.written());
        } else {
            queue.add(event);
        }
    }

    /** Writes what is queued and stops the writer; for a build that ended without {@code BuildFinished}. */
    @Override
    public void close() {
        finished = true;
        if (writer.isAlive()) {
            queue.add(STOP);
            try {
                writer.join(PATIENCE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (writer.isAlive()) {
                logs.warn("the store took longer than " + PATIENCE.toMinutes() + " minutes to write a build;"
                        + " going on without waiting for it");
            }
        }
    }

    /** The last event of a build and the latch that says it, and everything before it, is written. */
    private record Last(BuildEvent event, CountDownLatch written) {
    }

    private void awaitWritten(CountDownLatch written) {
        try {
            if (!written.await(PATIENCE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                logs.warn("the store took longer than " + PATIENCE.toMinutes() + " minutes to write a build's end;"
                        + " going on without waiting for it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the caller is being stopped: let it, the writer goes on alone
        }
    }

    /** The writer thread: applies events in order until the build's last one, or {@link #close}. */
    private void write() {
        while (true) {
            Object next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (next == STOP) {
                stopBatches(null, lastAt, "the build's record ended before the batch did");
                return;
            }
            if (next instanceof Last last) {
                try {
                    apply(last.event());
                } finally {
                    last.written().countDown();
                }
                return;
            }
            apply((BuildEvent) next);
        }
    }

    private void apply(BuildEvent event) {
        try {
            record(event);
        } catch (Throwable e) { // a writer that died would lose the rest of the build and hang its end
            logs.warn("could not record " + event.getClass().getSimpleName() + (build == null ? ""
                    : " of build " + build.pipelineName() + " #" + build.number()) + " in the store: "
                    + Failures.describe(e));
        }
    }

    private void record(BuildEvent event) {
        lastAt = event.at();
        if (event instanceof BuildEvent.LogLine e) {
            logs.line(build.id(), e.task(), e.line(), e.at().toEpochMilli());
        } else if (event instanceof BuildEvent.BuildStarted e) {
            build = e.build();
            buildStarted = e.at();
            e.tasks().forEach(t -> tasks.put(t, new BuildRow.TaskRow(t, jobs.getOrDefault(t, t), "queued", 0, null,
                    null, null, null)));
            save("running", null);
        } else if (event instanceof BuildEvent.TaskStarted e) {
            logs.start(build.id(), e.task());
            started.put(e.task(), e.at());
            BuildRow.TaskRow row = new BuildRow.TaskRow(e.task(), jobs.getOrDefault(e.task(), e.task()), "running", 1,
                    e.at(), null, null, null);
            tasks.put(e.task(), row);
            store.builds().saveTask(build.id(), row);
        } else if (event instanceof BuildEvent.StepStarted e) {
            int seq = stepCount.merge(e.task(), 1, Integer::sum) - 1;
            StepRow row = new StepRow(seq, e.step(), "running", e.at(), null, logs.lineCount(build.id(), e.task()),
                    null);
            openSteps.put(e.task(), row);
            store.builds().saveStep(build.id(), e.task(), row);
        } else if (event instanceof BuildEvent.StepFinished e) {
            StepRow open = openSteps.remove(e.task());
            if (open != null) {
                store.builds().saveStep(build.id(), e.task(), new StepRow(open.seq(), open.name(),
                        e.outcome().state().label(), open.startedAt(), e.duration().toMillis(), open.firstLine(),
                        e.outcome().exitCode()));
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
        } else if (event instanceof BuildEvent.BatchProgress e) {
            BatchRow row = batches.progress(e);
            if (row != null) {
                store.batches().save(build.id(), row);
            }
        } else if (event instanceof BuildEvent.BatchFinished e) {
            store.batches().save(build.id(), batches.finished(e));
        } else if (event instanceof BuildEvent.TaskFinished e) {
            logs.end(build.id(), e.task());
            flushSamples();
            stopBatches(e.task(), e.at(), "the task ended (" + e.state().label() + ") before the batch did");
            BuildRow.TaskRow row = new BuildRow.TaskRow(e.task(), jobs.getOrDefault(e.task(), e.task()),
                    e.state().label(), e.attempts(), started.get(e.task()), e.at(), e.duration().toMillis(),
                    e.reason());
            tasks.put(e.task(), row);
            store.builds().saveTask(build.id(), row);
        } else if (event instanceof BuildEvent.BuildFinished e) {
            flushSamples();
            stopBatches(null, e.at(), "the build ended (" + e.state().label() + ") before the batch did");
            logs.flushAll();
            save(e.state().label(), e.at());
        }
    }

    /** Stores the batches of the task (of the build, for null) that never ended as stopped. */
    private void stopBatches(String task, Instant at, String why) {
        for (BatchRow row : batches.stopped(task, at, why)) {
            try {
                store.batches().save(build.id(), row);
            } catch (RuntimeException e) {
                logs.warn("could not record the end of batch " + row.step() + " of build " + build.pipelineName()
                        + " #" + build.number() + " in the store: " + Failures.describe(e));
            }
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
