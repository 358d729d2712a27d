package dev.gantry.engine.deploy;

import dev.gantry.core.deploy.Release;
import dev.gantry.core.deploy.ReleaseHistory;
import dev.gantry.core.deploy.ReleaseStatus;
import dev.gantry.core.pipeline.DeployDef;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.deploy.proxy.ProxyControl;
import dev.gantry.engine.probe.ProbeResult;
import dev.gantry.engine.probe.ProbeTarget;
import dev.gantry.engine.probe.Probes;
import dev.gantry.engine.workspace.VolumeLocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The environments of this machine, for the {@code deploy} step, the CLI ({@code gantry deploy status|stop},
 * {@code gantry rollback}) and the server's supervisor: where releases live on disk ({@code root}), their history,
 * and the operations on a live release. Every change to an environment holds its deploy lock, so a deploy, a
 * rollback and a stop never overlap, even from different processes.
 */
public final class Deployments {

    /** The copy of the pipeline file kept in each release, which the supervisor re-reads. */
    public static final String PIPELINE_COPY = "pipeline.yml";

    private final Path root;
    private final ReleaseHistory history;
    private final Clock clock;
    private final Map<String, String> baseEnv;
    private final ReleaseRunners runners;

    /**
     * @param root    {@code .gantry/environments} beside the pipeline for {@code gantry run}, the server's data
     *                directory's for the server
     * @param baseEnv the environment the proxy and scratch gate steps start with (normally Gantry's own)
     */
    public Deployments(Path root, ReleaseHistory history, Clock clock, Map<String, String> baseEnv) {
        this(root, history, clock, baseEnv, null);
    }

    /**
     * @param containers runs the releases whose service names an {@code image:}; null for a Gantry without Docker
     *                   support (such a deploy then fails, saying so)
     */
    public Deployments(Path root, ReleaseHistory history, Clock clock, Map<String, String> baseEnv,
                       ReleaseContainers containers) {
        this.root = root.toAbsolutePath();
        this.history = history;
        this.clock = clock;
        this.baseEnv = Map.copyOf(baseEnv);
        this.runners = new ReleaseRunners(containers);
    }

    public Path root() {
        return root;
    }

    public ReleaseHistory history() {
        return history;
    }

    Clock clock() {
        return clock;
    }

    Map<String, String> baseEnv() {
        return baseEnv;
    }

    ReleaseRunners runners() {
        return runners;
    }

    /** Where {@code record}'s release runs: a local process or a container. */
    public ReleaseRunner runner(LaunchRecord record) {
        return runners.of(record);
    }

    /** Stops whatever of the release runs (its stop signal, grace, then SIGKILL); its history is not changed. */
    public void stopRunning(Release r) {
        record(r).ifPresent(rec -> runner(rec).stop(rec));
    }

    public EnvironmentDirectory directory(String pipeline, String environment) {
        return EnvironmentDirectory.of(root, pipeline, environment);
    }

    public Path releaseDirectory(Release r) {
        return directory(r.pipeline(), r.environment()).release(r.number());
    }

    /**
     * Takes the environment's deploy lock, waiting for a deploy in progress; empty if {@code cancel} fired. The lock
     * file is named by its real path, so two spellings of one directory (a symbolic link) share one in-JVM lock
     * instead of asking the OS twice for the same file (which Java refuses with OverlappingFileLockException).
     */
    Optional<VolumeLocks.Handle> lock(EnvironmentDirectory env, Cancellation cancel) throws IOException {
        Files.createDirectories(env.dir());
        return VolumeLocks.acquire(env.dir().toRealPath().resolve(env.lockFile().getFileName()), true, cancel);
    }

    /** The deploy lock if it is free (or frees up within {@code wait}); empty while a deploy holds it. */
    Optional<VolumeLocks.Handle> tryLock(EnvironmentDirectory env, Duration wait) throws IOException {
        Cancellation give = Cancellation.root();
        java.util.concurrent.CompletableFuture.delayedExecutor(wait.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS).execute(() ->
                give.cancel(Cancellation.Reason.CANCELLED, "the deploy lock is held"));
        return lock(env, give);
    }

    /**
     * Marks every release of the environment left {@code deploying} as {@code failed}, stopping whatever of it still
     * runs: called under the deploy lock, so no deploy of it is in progress and such a release is what a Gantry
     * process killed mid-deploy (or mid-rollback) left behind.
     */
    void recoverInterrupted(EnvironmentDirectory env, Consumer<String> log) {
        recoverInterrupted(env.pipeline(), env.environment(), log);
    }

    /**
     * {@link #recoverInterrupted(EnvironmentDirectory, Consumer)} for a caller holding the environment's deploy lock
     * ({@link #lockIfFree}): the server's supervisor, before it decides that a live release which does not run
     * crashed (a Gantry process killed mid-deploy may have left the candidate running on the stable port).
     */
    public void recoverInterrupted(String pipeline, String environment, Consumer<String> log) {
        EnvironmentDirectory env = directory(pipeline, environment);
        for (Release r : history.list(env.pipeline(), env.environment())) {
            if (r.status() != ReleaseStatus.DEPLOYING) {
                continue;
            }
            stopRunning(r);
            history.update(r.withStatus(ReleaseStatus.FAILED, clock.instant(), "its deploy was interrupted (the"
                    + " Gantry process that ran it ended before it went live)"));
            log.accept("release " + r.number() + " was left deploying by an interrupted deploy: marked failed");
        }
    }

    /**
     * Whether a release is one to go back to: it served and ended well (replaced by a newer release, or stopped by
     * hand), or serves now. Never a failed candidate, one rolled back, or one being deployed. The one rule behind
     * the rollback target and what pruning keeps.
     */
    static boolean isGood(Release r) {
        return r.liveAt() != null && (r.status() == ReleaseStatus.LIVE || r.status() == ReleaseStatus.SUPERSEDED
                || r.status() == ReleaseStatus.STOPPED);
    }

    /**
     * Whether a release named by number may be put back: it went live and ended without failing, including one a
     * rollback replaced (a person may want it again: {@code gantry rollback --to N}, a server's promote). The
     * default target ({@link #isGood}) skips rolled-back releases, so rolling back twice goes further back.
     */
    static boolean servedWell(Release r) {
        return isGood(r) || (r.liveAt() != null && r.status() == ReleaseStatus.ROLLED_BACK);
    }

    /** What is live in an environment and whether it is healthy. */
    public EnvironmentStatus status(String pipeline, String environment) {
        Optional<Release> live = history.live(pipeline, environment);
        if (live.isEmpty()) {
            return new EnvironmentStatus(pipeline, environment, null, Set.of(), 0, null, "none: nothing is live");
        }
        Release r = live.get();
        Optional<LaunchRecord> rec = record(r);
        if (rec.isEmpty()) {
            return new EnvironmentStatus(pipeline, environment, r, Set.of(), r.port(), r.liveAt(),
                    "unknown: its directory is gone");
        }
        Set<Long> pids = runner(rec.get()).pids(rec.get());
        String health;
        if (pids.isEmpty()) {
            health = "down: no process of release " + r.number() + " is running";
        } else if (rec.get().blueGreen() && !new ProxyControl(directory(pipeline, environment)).isRunning()) {
            health = "down: release " + r.number() + " runs, but the proxy on port " + rec.get().stablePort()
                    + " does not (startAgain, which the server's supervisor calls, starts it again)";
        } else if (rec.get().ready() == null) {
            health = "running (no readiness probe)";
        } else {
            ProbeResult p = Probes.create(rec.get().ready(), new ProbeTarget(rec.get().address(), rec.get().port(),
                    rec.get().env(), releaseDirectory(r), rec.get().shell())).check(rec.get().ready().timeout());
            health = p.success() ? "healthy" : "unhealthy: " + p.detail();
        }
        int port = rec.get().stablePort() > 0 ? rec.get().stablePort() : rec.get().port();
        return new EnvironmentStatus(pipeline, environment, r, pids, port, r.liveAt(), health);
    }

    /** Whether any process of the release is running. */
    public boolean isRunning(Release r) {
        return record(r).map(rec -> runner(rec).isRunning(rec)).orElse(false);
    }

    /**
     * Whether the release serves: a process of it runs and, under {@code blue_green}, so does the environment's
     * proxy (without it nothing answers on the stable port). {@link #startAgain} brings back whichever is missing.
     */
    public boolean isServing(Release r) {
        Optional<LaunchRecord> rec = record(r);
        if (rec.isEmpty() || !runner(rec.get()).isRunning(rec.get())) {
            return false;
        }
        return !rec.get().blueGreen() || new ProxyControl(directory(r.pipeline(), r.environment())).isRunning();
    }

    /**
     * Starts a release again from its {@code release.json} (a crash restart, or one the supervisor found dead) and
     * waits for its readiness probe; does nothing to a release already running. Under {@code blue_green} the proxy is
     * pointed at it again (and started, if it is gone). Does nothing either while a deploy, rollback or stop of its
     * environment is in progress (that one decides what runs; a replace deploy stops the live release before its
     * history says so), nor when {@code r} is no longer the live release once the lock is taken.
     *
     * @throws DeployException when it cannot start or does not become ready (it is stopped again)
     */
    public void startAgain(Release r) throws IOException {
        EnvironmentDirectory env = directory(r.pipeline(), r.environment());
        Optional<VolumeLocks.Handle> lock = tryLock(env, Duration.ofMillis(200));
        if (lock.isEmpty()) {
            return;
        }
        try (VolumeLocks.Handle held = lock.get()) {
            Optional<Release> live = history.live(r.pipeline(), r.environment());
            if (live.isEmpty() || live.get().number() != r.number()) {
                return;
            }
            startAgainLocked(r);
        }
    }

    /**
     * The environment's deploy lock if it is free (or frees up within {@code wait}); empty while a deploy, rollback
     * or stop holds it. For a caller that changes a live release itself (the server's supervisor): while it holds
     * the lock, no deploy swaps the release out from under it. Close the handle to let go.
     */
    public Optional<AutoCloseable> lockIfFree(String pipeline, String environment, Duration wait)
            throws IOException {
        return tryLock(directory(pipeline, environment), wait).map(h -> (AutoCloseable) h);
    }

    /**
     * {@link #startAgain} for a caller already holding the environment's lock ({@link #lockIfFree}), who has
     * checked that {@code r} is still the live release: the lock is not taken a second time.
     */
    public void startAgainWhileLocked(Release r) throws IOException {
        startAgainLocked(r);
    }

    private void startAgainLocked(Release r) throws IOException {
        LaunchRecord rec = record(r).orElseThrow(() -> new DeployException("release " + r.number() + " of "
                + r.environment() + " has no directory left to start from: " + releaseDirectory(r)));
        ProxyControl proxy = new ProxyControl(directory(r.pipeline(), r.environment()));
        ReleaseRunner runner = runner(rec);
        if (runner.isRunning(rec)) {
            if (rec.blueGreen() && !proxy.isRunning()) {
                proxy.switchTo(rec.stablePort(), rec.port(), baseEnv);
            }
            return;
        }
        Path dir = releaseDirectory(r);
        java.util.function.BooleanSupplier exited = runner.launch(rec, dir);
        String failure = Checks.awaitReady(rec, dir, exited, Cancellation.root());
        if (failure != null) {
            runner.stop(rec);
            throw new DeployException(failure);
        }
        if (rec.blueGreen()) {
            proxy.switchTo(rec.stablePort(), rec.port(), baseEnv);
        }
    }

    /**
     * Stops the live release of an environment (and its proxy): it becomes {@code stopped}.
     *
     * @throws DeployException when nothing is live there
     */
    public Release stop(String pipeline, String environment) throws IOException {
        EnvironmentDirectory env = directory(pipeline, environment);
        try (VolumeLocks.Handle lock = lock(env, Cancellation.root()).orElseThrow()) {
            recoverInterrupted(env, line -> { });
            Release live = history.live(pipeline, environment).orElseThrow(() -> new DeployException(
                    "nothing is live in " + environment + " of " + pipeline + ": see gantry releases "
                            + environment));
            stopRunning(live);
            new ProxyControl(env).stop();
            Release stopped = live.withStatus(ReleaseStatus.STOPPED, clock.instant(), "stopped by hand");
            history.update(stopped);
            return stopped;
        }
    }

    /**
     * Puts an earlier release back in place of the live one, gated like a deploy (readiness and the gate read from
     * its pipeline copy); the replaced live release becomes {@code rolled_back}. If the earlier release fails, the
     * one that was live runs again.
     *
     * @param to  the release number, or null for the previous good release
     * @param log where progress goes
     */
    public RollbackResult rollback(String pipeline, String environment, Integer to, Consumer<String> log)
            throws IOException {
        return new Rollback(this).run(pipeline, environment, to, null, log);
    }

    /**
     * Rolls back release {@code failing} to the previous good release (a monitor's {@code on_failure: rollback}),
     * only if it is still the live release once the deploy lock is taken: a deploy that put a newer release in place
     * meanwhile is not undone.
     *
     * @throws DeployException when {@code failing} is no longer live (nothing is rolled back)
     */
    public RollbackResult rollbackFrom(Release failing, Consumer<String> log) throws IOException {
        return new Rollback(this).run(failing.pipeline(), failing.environment(), null, failing.number(), log);
    }

    /**
     * The newest {@link #isGood good} release older than {@code before} (any, if {@code before} is negative) whose
     * directory is kept: what a rollback goes back to. Never a newer release, so rolling back twice goes further back
     * instead of forward again.
     */
    Optional<Release> previousGood(String pipeline, String environment, int before) {
        return history.list(pipeline, environment).stream()
                .filter(r -> (before < 0 || r.number() < before) && isGood(r)
                        && Files.exists(releaseDirectory(r).resolve(LaunchRecord.FILE)))
                .findFirst();
    }

    /**
     * The deploy definition a release was made with, read from its pipeline copy (see {@link ReleasePipeline});
     * empty when the copy is missing or does not parse.
     */
    public Optional<DeployDef> loadDef(Release r) {
        return loadPipeline(r).flatMap(p -> ReleasePipeline.deployDef(p, r.environment()));
    }

    /** The pipeline a release was deployed with, from its copy; empty when it is missing or does not parse. */
    public Optional<Pipeline> loadPipeline(Release r) {
        return ReleasePipeline.read(releaseDirectory(r));
    }

    /** The release's launch record ({@code release.json}), or empty when its directory is gone or unreadable. */
    public Optional<LaunchRecord> record(Release r) {
        Path dir = releaseDirectory(r);
        if (!Files.exists(dir.resolve(LaunchRecord.FILE))) {
            return Optional.empty();
        }
        try {
            return Optional.of(LaunchRecord.read(dir));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * An environment now.
     *
     * @param live   the live release, or null
     * @param pids   its running processes (empty: it is down)
     * @param port   where it answers (the stable port)
     * @param health {@code healthy}, {@code unhealthy: ...}, {@code down: ...} or {@code none: ...}
     */
    public record EnvironmentStatus(String pipeline, String environment, Release live, Set<Long> pids, int port,
                                    Instant since, String health) {

        public boolean running() {
            return !pids.isEmpty();
        }
    }

    /**
     * How a rollback ended.
     *
     * @param serving the release serving now, or null
     * @param reason  why the target did not go live, or null
     */
    public record RollbackResult(int target, boolean live, Integer serving, String reason) {
    }

    static Duration orDefault(Duration d, Duration fallback) {
        return d == null ? fallback : d;
    }
}
