package dev.gantry.engine.deploy;

import dev.gantry.core.deploy.Release;
import dev.gantry.core.deploy.ReleaseStatus;
import dev.gantry.core.pipeline.DeployDef;
import dev.gantry.core.pipeline.StepDef;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.workspace.VolumeLocks;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * One rollback, for {@code gantry rollback}, the server's actions and a monitor's {@code on_failure: rollback}:
 * under the environment's lock, chooses the release to put back (a number, or the previous good one), refuses
 * what cannot be done before anything is touched (a release that never served, a gate needing secrets a rollback
 * cannot read, a live release that changed meanwhile), then promotes it gated like a deploy.
 */
final class Rollback {

    private final Deployments deployments;

    Rollback(Deployments deployments) {
        this.deployments = deployments;
    }

    Deployments.RollbackResult run(String pipeline, String environment, Integer to, Integer expectedLive,
                                   Consumer<String> log) throws IOException {
        EnvironmentDirectory env = deployments.directory(pipeline, environment);
        try (VolumeLocks.Handle lock = deployments.lock(env, Cancellation.root()).orElseThrow()) {
            deployments.recoverInterrupted(env, log);
            Release live = deployments.history().live(pipeline, environment).orElse(null);
            if (expectedLive != null && (live == null || live.number() != expectedLive)) {
                throw new DeployException("release " + expectedLive + " of " + environment + " is no longer live"
                        + (live == null ? "" : " (release " + live.number() + " is)") + "; nothing rolled back");
            }
            Release target = to != null ? deployments.history().find(pipeline, environment, to).orElseThrow(() ->
                    new DeployException("release " + to + " of " + environment + " does not exist: see gantry"
                            + " releases " + environment))
                    : deployments.previousGood(pipeline, environment, live == null ? -1 : live.number()).orElseThrow(() ->
                    new DeployException("no earlier good release of " + environment + " to roll back to"
                            + (live == null ? "" : "; release " + live.number() + " still serves")));
            if (live != null && target.number() == live.number()) {
                throw new DeployException("release " + target.number() + " is already live in " + environment);
            }
            if (to != null ? !Deployments.servedWell(target) : !Deployments.isGood(target)) {
                throw new DeployException("release " + target.number() + " of " + environment + " is "
                        + target.status().wireName() + (target.liveAt() == null ? " and never went live" : "")
                        + ": roll back to a release that served well (see gantry releases " + environment + ")"
                        + (live == null ? "" : "; release " + live.number() + " still serves"));
            }
            LaunchRecord rec = deployments.record(target).orElseThrow(() -> new DeployException("release " + target.number()
                    + " of " + environment + " has no directory left (only the last keep_releases are kept): "
                    + env.release(target.number())));
            DeployDef def = deployments.loadDef(target).orElse(null);
            List<StepDef> gate = def == null ? List.of() : def.gate();
            List<String> secret = secretsOf(gate);
            if (!secret.isEmpty()) {
                throw new DeployException("the gate of release " + target.number() + " uses secret "
                        + String.join(", ", secret) + ", which a rollback outside a build cannot read: nothing was"
                        + " changed" + (live == null ? "" : ", release " + live.number() + " still serves")
                        + "; roll back by deploying that release's build again");
            }
            if (def == null) {
                log.accept("the gate of release " + target.number() + " could not be read from its pipeline copy:"
                        + " checking readiness only");
            }
            try (ScratchContext scratch = ScratchContext.create(deployments.baseEnv(), log)) {
                Checks checks = new Checks(gate, def == null ? DeployDef.GATE_TIMEOUT : def.gateTimeout(),
                        DeployRunner.standard(deployments), scratch);
                Release deploying = target.withStatus(ReleaseStatus.DEPLOYING, deployments.clock().instant(), null);
                deployments.history().update(deploying);
                Promotion.Result r = new Promotion(deployments.history(), deployments.clock(), env, checks, log, Cancellation.root(),
                        deployments.baseEnv(), scratch.masker()::mask, deployments.runners())
                        .promote(deploying, rec, live, ReleaseStatus.ROLLED_BACK, live, true);
                return new Deployments.RollbackResult(target.number(), r.succeeded(), r.serving(), r.reason());
            }
        }
    }

    /** The secrets the gate's steps reference, by name. */
    private static List<String> secretsOf(List<StepDef> gate) {
        return dev.gantry.core.secret.SecretReferences.of(gate).stream().map(r -> "'" + r.name() + "'").distinct()
                .toList();
    }
}
