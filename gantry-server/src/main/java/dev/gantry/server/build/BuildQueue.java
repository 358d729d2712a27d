package dev.gantry.server.build;

import dev.gantry.engine.serial.JobGate;
import dev.gantry.server.ServerLog;
import dev.gantry.server.ServerSettings;
import dev.gantry.server.Threads;
import dev.gantry.server.git.GitMirror;
import dev.gantry.server.git.Mirrors;
import dev.gantry.server.http.ApiException;
import dev.gantry.server.metrics.ServerMetrics;
import dev.gantry.server.retention.BuildPruner;
import dev.gantry.server.retention.RetentionSweep;
import dev.gantry.record.Failures;
import dev.gantry.record.LogHub;
import dev.gantry.engine.notify.Notifier;
import dev.gantry.store.BuildRow;
import dev.gantry.store.PipelineRow;
import dev.gantry.store.SecretVault;
import dev.gantry.store.Store;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The server's builds: queued in the store as they are triggered, started in order while fewer than
 * {@code maxBuilds} run, cancelled or rebuilt on request. Serial jobs wait on a {@link JobGate} shared by all of them.
 */
public final class BuildQueue implements AutoCloseable {

    private final Store store;
    private final LogHub logs;
    private final Mirrors mirrors;
    private final ServerSettings settings;
    private final JobGate gate;
    private final ServerMetrics metrics;
    private final ServerLog log;
    private final Deque<BuildRow> queued = new ArrayDeque<>();
    private final Map<String, BuildJob> running = new LinkedHashMap<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(Threads.daemon("gantry-build"));
    private final Function<BuildJob, String> runner;
    private final SecretVault secrets;
    private final Notifier notifier;
    private boolean closed;

    private final dev.gantry.server.disk.DiskGuard disk;
    private final RetentionSweep retention;

    public BuildQueue(Store store, SecretVault secrets, LogHub logs, Mirrors mirrors, ServerSettings settings,
                      JobGate gate, ServerMetrics metrics, ServerLog log, Notifier notifier) {
        this(store, secrets, logs, mirrors, settings, gate, metrics, log, notifier, BuildJob::run);
    }

    /** With {@code runner} in place of {@link BuildJob#run}: how tests make a build thread fail as nothing else can. */
    BuildQueue(Store store, SecretVault secrets, LogHub logs, Mirrors mirrors, ServerSettings settings, JobGate gate,
               ServerMetrics metrics, ServerLog log, Notifier notifier, Function<BuildJob, String> runner) {
        this.runner = runner;
        this.notifier = notifier;
        BuildPruner pruner = new BuildPruner(store, settings.dataDir(), settings.engine().clock());
        this.disk = new dev.gantry.server.disk.DiskGuard(settings.dataDir(), settings.minFree(),
                dev.gantry.engine.cache.Caches.directory(settings.engine().baseEnv()), pruner, log);
        this.retention = new RetentionSweep(store, pruner, settings.keep(), log, settings.engine().clock());
        this.store = store;
        this.secrets = secrets;
        this.logs = logs;
        this.mirrors = mirrors;
        this.settings = settings;
        this.gate = gate;
        this.metrics = metrics;
        this.log = log;
        metrics.gauge("gantry_builds_queued", "Builds waiting for a free slot", this::queuedCount);
        metrics.gauge("gantry_builds_running", "Builds running now", this::runningCount);
    }

    /** What a build is for: a commit of a pipeline, reached through a branch or a tag. */
    public record Request(PipelineRow pipeline, GitMirror.CommitInfo commit, String branch, String tag,
                          String trigger) {
    }

    /** Stores a new queued build and starts it when a slot is free. */
    public synchronized BuildRow enqueue(Request r) {
        long number = store.builds().nextNumber(r.pipeline().name());
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        BuildRow row = new BuildRow(id, r.pipeline().name(), number, r.pipeline().file(), "", r.commit().sha(),
                r.branch(), r.tag(), r.commit().author(), r.commit().message(), r.trigger(), "queued",
                settings.engine().clock().instant(), null, List.of());
        store.builds().save(row);
        metrics.triggered(r.trigger());
        log.info("build " + row.pipeline() + " #" + number + " queued (" + r.trigger() + ", "
                + (r.tag() != null ? "tag " + r.tag() : "branch " + r.branch()) + " at " + shortSha(row.commit())
                + ")", ServerLog.About.build(row.pipeline(), number));
        queued.add(row);
        dispatch();
        return row;
    }

    /** Puts back a build the store holds as queued (after a restart), keeping its number. */
    public synchronized void requeue(BuildRow row) {
        queued.add(row);
        dispatch();
    }

    /** A new build of the same commit, branch and tag. */
    public BuildRow rebuild(BuildRow previous) {
        PipelineRow pipeline = store.pipelines().find(previous.pipeline())
                .orElseThrow(() -> new ApiException(409, "pipeline " + previous.pipeline() + " is not registered with"
                        + " this server"
                        + (previous.trigger().equals("local") ? " (this is a build of gantry run)" : "")));
        return enqueue(new Request(pipeline, new GitMirror.CommitInfo(previous.commit(), previous.author(),
                previous.message()), previous.branch(), previous.tag(), "rebuild"));
    }

    /** Cancels a queued or running build; false when it had already ended. */
    public boolean cancel(BuildRow build) {
        synchronized (this) {
            BuildJob job = running.get(build.id());
            if (job != null) {
                log.info("build " + build.pipeline() + " #" + build.number() + " cancel requested",
                        ServerLog.About.build(build.pipeline(), build.number()));
                job.cancel("cancelled from the server");
                return true;
            }
            if (queued.removeIf(b -> b.id().equals(build.id()))) {
                store.builds().save(build.withStatus("cancelled", settings.engine().clock().instant()));
                log.info("build " + build.pipeline() + " #" + build.number() + " cancelled before it started",
                        ServerLog.About.build(build.pipeline(), build.number()));
                return true;
            }
        }
        return false;
    }

    public synchronized boolean isRunning(String buildId) {
        return running.containsKey(buildId);
    }

    private synchronized void dispatch() {
        while (!closed && running.size() < settings.maxBuilds() && !queued.isEmpty()) {
            BuildRow row = queued.poll();
            Optional<String> noRoom = disk.makeRoom(running::containsKey);
            if (noRoom.isPresent()) {
                log.warn("build " + row.pipeline() + " #" + row.number() + " refused: " + noRoom.get(), about(row));
                SetupFailure.record(store, logs, row, "refused before it started: " + noRoom.get(),
                        settings.engine().clock().instant());
                metrics.buildFinished("errored");
                continue;
            }
            Optional<PipelineRow> pipeline = store.pipelines().find(row.pipeline());
            if (pipeline.isEmpty()) {
                store.builds().save(row.withStatus("errored", settings.engine().clock().instant()));
                continue;
            }
            BuildJob job = new BuildJob(row, pipeline.get(), mirrors.of(pipeline.get()), store, secrets, logs,
                    settings, gate, notifier, metrics.buildListener(row.pipeline(), row.startedAt()));
            running.put(row.id(), job);
            metrics.buildStarted();
            threads.execute(() -> run(job));
        }
    }

    /**
     * Runs the job on its thread. Whatever it throws, {@link Error}s included (a pipeline deep enough to overflow
     * the loader's stack), the build ends errored with the reason in its setup log and its slot goes to the next.
     */
    private void run(BuildJob job) {
        BuildRow row = job.row();
        String state = "errored";
        try {
            log.info("build " + row.pipeline() + " #" + row.number() + " started", about(row));
            state = runner.apply(job);
        } catch (Throwable e) {
            log.warn("build " + row.pipeline() + " #" + row.number() + " failed internally: " + Failures.describe(e),
                    about(row));
            erroredInternally(row, e);
        } finally {
            log.info("build " + row.pipeline() + " #" + row.number() + " " + state, about(row));
            metrics.buildFinished(state);
            synchronized (this) {
                running.remove(row.id());
                dispatch();
            }
            sweep(row.pipeline());
        }
    }

    /** Applies the pipeline's retention now that one of its builds ended; a failure is logged, never thrown. */
    private void sweep(String pipeline) {
        try {
            retention.sweep(pipeline);
        } catch (RuntimeException e) {
            log.warn("retention: sweeping " + pipeline + " failed: " + Failures.describe(e),
                    ServerLog.About.pipeline(pipeline));
        }
    }

    /** Each pipeline's retention, applied after each build and on the server's timer. */
    public RetentionSweep retention() {
        return retention;
    }

    /** Marks a build whose thread failed errored, keeping the tasks it recorded, the reason as its setup log. */
    private void erroredInternally(BuildRow row, Throwable e) {
        try {
            String reason = "internal error: " + (e instanceof StackOverflowError
                    ? "the stack overflowed (is the pipeline file nested too deeply?)" : Failures.describe(e));
            SetupFailure.record(store, logs, row, reason, settings.engine().clock().instant());
        } catch (RuntimeException recording) {
            log.warn("build " + row.pipeline() + " #" + row.number() + " could not be marked errored: "
                    + Failures.describe(recording), about(row));
        }
    }

    private synchronized int queuedCount() {
        return queued.size();
    }

    private synchronized int runningCount() {
        return running.size();
    }

    private static String shortSha(String sha) {
        return sha.substring(0, Math.min(12, sha.length()));
    }

    /** Cancels what runs and waits for it to stop; what is queued stays queued in the store for the next start. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            running.values().forEach(j -> j.cancel("the server is stopping"));
        }
        threads.shutdown();
        try {
            threads.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ServerLog.About about(BuildRow row) {
        return ServerLog.About.build(row.pipeline(), row.number());
    }
}
