package dev.gantry.server.deploy;

import dev.gantry.core.pipeline.Restart;
import dev.gantry.core.deploy.Release;
import dev.gantry.core.pipeline.DeployDef;
import dev.gantry.core.pipeline.NotifyDef;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.pipeline.ProbeDef;
import dev.gantry.engine.deploy.Deployments;
import dev.gantry.engine.deploy.LaunchRecord;
import dev.gantry.engine.deploy.ReleasePipeline;
import dev.gantry.engine.probe.ProbeTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The supervisor's {@link ReleaseRuntime} on the engine's {@link Deployments}: the same directories, launch records,
 * markers and deploy locks as the deploy step and the CLI, so the three never disagree about a release.
 */
public final class EngineReleases implements ReleaseRuntime {

    /** How long the supervisor waits for an environment's deploy lock before trying again at its next tick. */
    static final Duration LOCK_WAIT = Duration.ofMillis(200);

    private final Deployments deployments;
    private final Consumer<String> log;

    public EngineReleases(Deployments deployments, Consumer<String> log) {
        this.deployments = deployments;
        this.log = log;
    }

    @Override
    public Optional<SupervisionPolicy> policy(Release release) {
        Path dir = deployments.releaseDirectory(release);
        Optional<LaunchRecord> rec = deployments.record(release);
        if (rec.isEmpty()) {
            return Optional.empty();
        }
        Optional<Pipeline> pipeline = deployments.loadPipeline(release); // the copy it was deployed with
        DeployDef def = pipeline.flatMap(p -> ReleasePipeline.deployDef(p, release.environment())).orElse(null);
        Restart restart = def == null ? Restart.STANDARD : def.restart();
        ProbeDef ready = rec.get().ready();
        Duration startup = ready == null ? Duration.ZERO : ready.startupTimeout();
        ProbeTarget target = new ProbeTarget(rec.get().address(), rec.get().port(), rec.get().env(), dir, rec.get().shell());
        return Optional.of(new SupervisionPolicy(restart, def == null ? null : def.monitor(), startup, target,
                pipeline.map(Pipeline::notifications).orElse(List.<NotifyDef>of())));
    }

    @Override
    public boolean isRunning(Release release) {
        return deployments.isServing(release);
    }

    @Override
    public void recoverInterrupted(String pipeline, String environment) {
        deployments.recoverInterrupted(pipeline, environment, line -> log.accept(pipeline + "/" + environment + ": "
                + line));
    }

    @Override
    public void startAgain(Release release) throws IOException {
        deployments.startAgainWhileLocked(release); // the supervisor holds the environment's lock (tryLock)
    }

    @Override
    public void stop(Release release) {
        deployments.stopRunning(release);
    }

    @Override
    public Optional<AutoCloseable> tryLock(String pipeline, String environment) {
        try {
            return deployments.lockIfFree(pipeline, environment, LOCK_WAIT);
        } catch (IOException e) {
            log.accept("the deploy lock of " + pipeline + "/" + environment + " cannot be taken: " + e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public String rollback(Release failing) throws IOException {
        Deployments.RollbackResult r = deployments.rollbackFrom(failing, log);
        return r.live() ? "release " + r.target() + " serves again"
                : "release " + r.target() + " did not go live (" + r.reason() + ")"
                + (r.serving() == null ? "; nothing serves" : "; release " + r.serving() + " serves");
    }
}
