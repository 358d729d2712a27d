package dev.gantry.engine.deploy;

import dev.gantry.core.deploy.Release;
import dev.gantry.core.deploy.ReleaseHistory;
import dev.gantry.core.deploy.ReleaseStatus;
import dev.gantry.core.pipeline.DeployDef;
import dev.gantry.core.pipeline.EnvironmentDef;
import dev.gantry.core.pipeline.ServiceDef;
import dev.gantry.core.pipeline.Value;
import dev.gantry.core.pipeline.VolumeDef;
import dev.gantry.core.plan.Revision;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.run.Outcome;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.step.StepContext;
import dev.gantry.engine.step.StepRunners;
import dev.gantry.engine.workspace.Directories;
import dev.gantry.engine.workspace.VolumeLocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One deploy step: under the environment's lock, makes release N (files, digests, launch record, pipeline copy),
 * promotes it by its strategy with readiness and the gate, rolls back when that fails, prunes old release
 * directories, and reports {@code DeployStarted}/{@code DeployFinished}.
 */
final class Deployment {

    private final Deployments deployments;
    private final ReleaseHistory history;
    private final StepRunners runners;
    private final StepContext ctx;
    private final DeployDef def;
    private final EnvironmentDef environment;
    private final EnvironmentDirectory env;

    Deployment(Deployments deployments, StepRunners runners, StepContext ctx, DeployDef def,
               EnvironmentDef environment) {
        this.deployments = deployments;
        this.history = deployments.history();
        this.runners = runners;
        this.ctx = ctx;
        this.def = def;
        this.environment = environment;
        this.env = deployments.directory(ctx.pipelineName(), environment.name());
    }

    Outcome run() throws IOException {
        if (def.service() == null) {
            throw new DeployException("the deploy to " + environment.name() + " has no service to start");
        }
        Optional<VolumeLocks.Handle> lock = deployments.tryLock(env, Duration.ofMillis(200));
        if (lock.isEmpty()) {
            ctx.output("waiting for the deploy lock of " + environment.name() + ": another deploy, rollback or stop"
                    + " of it is in progress");
            lock = deployments.lock(env, ctx.cancellation());
        }
        if (lock.isEmpty()) {
            return new Outcome(TaskState.CANCELLED, -1, ctx.cancellation().message());
        }
        try (VolumeLocks.Handle held = lock.get()) {
            deployments.recoverInterrupted(env, ctx::output);
            return deploy();
        }
    }

    private Outcome deploy() throws IOException {
        String pipeline = ctx.pipelineName();
        Release current = history.live(pipeline, environment.name()).orElse(null);
        Files.createDirectories(env.releases());
        Path staging = env.releases().resolve(".new-" + UUID.randomUUID());
        Release next;
        try {
            Map<String, String> files = ReleaseFiles.copy(ctx.workingDirectory(), def.release().files(), staging);
            Files.createDirectories(staging);
            Map<String, String> volumes = volumeDigests();
            copyPipeline(staging);
            Revision rev = ctx.build().revision();
            next = history.create(new Release(pipeline, environment.name(), 0, ctx.build().number(), rev.commit(),
                    rev.branch(), rev.tag(), ctx.build().trigger(), files, volumes, def.port(),
                    ReleaseStatus.DEPLOYING, deployments.clock().instant(), null, null, null));
            Path dir = env.release(next.number());
            Directories.deleteTree(dir);
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Directories.deleteTree(staging);
        }
        String strategy = def.strategy().yamlName();
        ctx.report(new BuildEvent.DeployStarted(deployments.clock().instant(), ctx.taskName(), environment.name(),
                next.number(), strategy));
        ctx.output("deploying release " + next.number() + " to " + environment.name() + " (" + strategy + ")");
        Release fallback = current != null ? current
                : deployments.previousGood(pipeline, environment.name(), next.number()).orElse(null);
        Checks checks = new Checks(def.gate(), Deployments.orDefault(def.gateTimeout(), DeployDef.GATE_TIMEOUT),
                runners, ctx);
        Promotion.Result r;
        try {
            LaunchRecord record = launchRecord(next);
            r = new Promotion(history, deployments.clock(), env, checks, ctx::output, ctx.cancellation(),
                    deployments.baseEnv(), ctx.masker()::mask, deployments.runners()).promote(next, record, current,
                    ReleaseStatus.SUPERSEDED, fallback, def.rollback() == DeployDef.Rollback.AUTO);
        } catch (IOException | RuntimeException e) {
            stopQuietly(next);
            String why = ctx.masker().mask(e.getMessage());
            history.update(next.withStatus(ReleaseStatus.FAILED, deployments.clock().instant(), why));
            ctx.report(new BuildEvent.DeployFinished(deployments.clock().instant(), ctx.taskName(),
                    environment.name(), next.number(), "failed", null, why));
            throw e;
        }
        ReleasePruning.prune(env, history, environment.keepReleases(), ctx::output);
        ctx.report(new BuildEvent.DeployFinished(deployments.clock().instant(), ctx.taskName(), environment.name(),
                next.number(), r.outcome(), r.serving(), r.reason()));
        if (r.succeeded()) {
            return Outcome.SUCCESS;
        }
        String serving = r.serving() == null ? "nothing serves " + environment.name() + " now"
                : "release " + r.serving() + " serves " + environment.name()
                + (r.outcome().equals("rolled_back") ? " (rolled back)" : "");
        TaskState state = ctx.cancellation().isCancelled() ? (ctx.cancellation().reason()
                == dev.gantry.engine.cancel.Cancellation.Reason.TIMED_OUT ? TaskState.TIMED_OUT : TaskState.CANCELLED)
                : TaskState.FAILED;
        return new Outcome(state, -1, "release " + next.number() + " did not go live: " + r.reason() + "; "
                + serving);
    }

    /** Stops what runs of a release whose deploy broke off with an error (it must not serve ungated). */
    private void stopQuietly(Release r) {
        Path dir = env.release(r.number());
        if (Files.exists(dir.resolve(LaunchRecord.FILE))) {
            try {
                LaunchRecord rec = LaunchRecord.read(dir);
                deployments.runner(rec).stop(rec);
            } catch (IOException e) {
                // its record is unreadable: nothing was started from it
            }
        }
    }

    private LaunchRecord launchRecord(Release next) throws IOException {
        ServiceDef s = def.service();
        Path dir = env.release(next.number());
        String template = s.command().replace("{{ release_dir }}", dir.toString())
                .replace("{{release_dir}}", dir.toString());
        LaunchRecord.Container container = s.image() == null ? null : container(s.image());
        Map<String, String> e = ReleaseProcesses.detached(ctx.environment());
        if (container != null) {
            // a container starts from its image's environment, not from the one Gantry was started with
            e.entrySet().removeIf(v -> v.getValue().equals(deployments.baseEnv().get(v.getKey())));
            e.remove("PATH");
        }
        e.putAll(Value.resolveAll(s.env(), ctx.secrets()));
        e.put("GANTRY_RELEASE_NUMBER", Integer.toString(next.number()));
        e.put("GANTRY_ENVIRONMENT", environment.name());
        e.put("GANTRY_RELEASE_DIR", dir.toString());
        String id = env.pipelineKey() + "/" + env.dir().getFileName() + "/" + next.number() + "/" + UUID.randomUUID();
        Duration grace = s.gracePeriod() != null ? s.gracePeriod() : ctx.gracePeriod();
        return new LaunchRecord(id, next.pipeline(), next.environment(), next.number(), template,
                LaunchRecord.fill(template, def.port()), ctx.shell(), e, s.workingDirectory(),
                def.strategy().yamlName(), def.port(), def.port(), s.stopSignal() == null ? "TERM" : s.stopSignal(),
                grace, s.ready(), container);
    }

    /** Where the release's container runs ({@code environments.NAME.host}), its image present and pinned. */
    private LaunchRecord.Container container(dev.gantry.core.pipeline.ImageRef image) throws IOException {
        LaunchRecord.Container c = deployments.runners().containers().place(environment.host(), image,
                ctx.secrets());
        if (def.strategy() == DeployDef.Strategy.BLUE_GREEN && !c.address().equals("127.0.0.1")) {
            throw new DeployException("blue_green needs the release on this machine (its proxy runs here), but "
                    + environment.name() + "'s releases run on docker host " + c.host() + ": use strategy: replace,"
                    + " or a local docker host");
        }
        return c;
    }

    private Map<String, String> volumeDigests() throws IOException {
        Map<String, String> digests = new LinkedHashMap<>();
        Path root = VolumeLocks.root(ctx.environment());
        List<VolumeDef> mounted = ctx.job() == null ? List.of() : ctx.job().volumes();
        for (String name : def.release().volumes()) {
            if (mounted.stream().noneMatch(v -> v.name().equals(name))) {
                throw new DeployException("release volume '" + name + "' is not one of the job's volumes: add it"
                        + " under the job's volumes");
            }
            ctx.output("digesting volume " + name);
            digests.put(name, ReleaseFiles.volumeDigest(root.resolve(name)));
        }
        return digests;
    }

    private void copyPipeline(Path staging) throws IOException {
        String file = ctx.pipeline().file();
        Path name = Path.of(file).getFileName();
        for (Path candidate : List.of(ctx.workingDirectory().resolve(name), Path.of(file))) {
            if (Files.isRegularFile(candidate)) {
                Files.copy(candidate, staging.resolve(Deployments.PIPELINE_COPY), StandardCopyOption.REPLACE_EXISTING);
                return;
            }
        }
        ctx.output("warning: the pipeline file " + file + " was not found in the working copy; release kept"
                + " without its copy (its gate cannot be re-read for a rollback)");
    }
}
