package dev.gantry.server.build;

import dev.gantry.server.layout.BuildDirectories;
import dev.gantry.core.validate.Pipelines;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.pipeline.PipelineException;
import dev.gantry.core.pipeline.SecretRef;
import dev.gantry.core.plan.Plan;
import dev.gantry.core.plan.Planner;
import dev.gantry.core.plan.Revision;
import dev.gantry.core.secret.SecretReferences;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.event.BuildInfo;
import dev.gantry.engine.event.BuildListener;
import dev.gantry.engine.local.LocalBuild;
import dev.gantry.engine.notify.Notifier;
import dev.gantry.engine.notify.NotifyListener;
import dev.gantry.engine.scheduler.BuildResult;
import dev.gantry.engine.secret.Secrets;
import dev.gantry.engine.serial.JobGate;
import dev.gantry.engine.workspace.Directories;
import dev.gantry.record.Failures;
import dev.gantry.record.LogHub;
import dev.gantry.record.StorePreviousBuilds;
import dev.gantry.record.StoreRecorder;
import dev.gantry.server.ServerSettings;
import dev.gantry.server.git.GitMirror;
import dev.gantry.store.BuildRow;
import dev.gantry.store.PipelineRow;
import dev.gantry.store.SecretCipher;
import dev.gantry.store.SecretVault;
import dev.gantry.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One queued build, run the way {@code gantry run} runs a pipeline: a clean checkout of its commit, the pipeline
 * file as that commit has it, the same engine, recorded into the store. A pipeline file that is missing or invalid
 * at that commit errors the build, its problems kept as the log of a task named {@value #SETUP_TASK}.
 */
final class BuildJob {

    static final String SETUP_TASK = "setup";

    private final BuildRow row;
    private final PipelineRow pipeline;
    private final GitMirror mirror;
    private final Store store;
    private final SecretVault secrets;
    private final LogHub logs;
    private final ServerSettings settings;
    private final JobGate gate;
    private final Notifier notifier;
    private final BuildListener metrics;
    private final Cancellation cancel = Cancellation.root();

    BuildJob(BuildRow row, PipelineRow pipeline, GitMirror mirror, Store store, SecretVault secrets, LogHub logs,
             ServerSettings settings, JobGate gate, Notifier notifier, BuildListener metrics) {
        this.row = row;
        this.pipeline = pipeline;
        this.mirror = mirror;
        this.store = store;
        this.secrets = secrets;
        this.logs = logs;
        this.settings = settings;
        this.gate = gate;
        this.notifier = notifier;
        this.metrics = metrics;
    }

    BuildRow row() {
        return row;
    }

    void cancel(String why) {
        cancel.cancel(Cancellation.Reason.CANCELLED, why);
    }

    /** Runs the build to its end and returns the state it ended in. */
    String run() {
        Path dir = BuildDirectories.of(settings.dataDir(), row.id());
        Path source = dir.resolve("src");
        try {
            Directories.deleteTree(source);
            mirror.checkout(row.commit(), source);
            byte[] yaml = mirror.read(row.commit(), pipeline.file())
                    .orElseThrow(() -> new SetupException(pipeline.file() + " does not exist at " + row.commit()));
            Pipeline p = Pipelines.load(pipeline.file(), yaml, settings.pools());
            store.pipelines().saveRetention(row.pipeline(), p.retention());
            Secrets secrets = secrets(p);
            Plan plan = new Planner().plan(p, new Revision(row.commit(), row.branch(), row.tag()), List.of());
            BuildInfo info = new BuildInfo(row.number(), row.id(), row.pipeline(), pipeline.file(), p.digest(),
                    plan.revision(), row.trigger(), dir, settings.dataDir().resolve("timings"));
            LocalBuild build = LocalBuild.of(plan, source, info, settings.pools(),
                    settings.engine().withSecrets(secrets), gate);
            try (StoreRecorder recorder = new StoreRecorder(store, logs, plan.jobsByTask(), row.author(),
                    row.message())) {
                NotifyListener notify = new NotifyListener(p.notifications(), notifier, this::notificationSecret,
                        new StorePreviousBuilds(store.builds()), null);
                BuildResult result = build.run(BuildListener.all(List.of(recorder, notify, metrics)), cancel);
                return result.state().label();
            }
        } catch (PipelineException e) {
            return setupFailed("the pipeline file is invalid at " + shortSha() + ":\n" + e.getMessage());
        } catch (SetupException | GitMirror.GitException e) {
            return setupFailed(e.getMessage());
        } catch (IOException | RuntimeException e) {
            return setupFailed("internal error: " + Failures.describe(e));
        } finally {
            try {
                Directories.deleteTree(source);
            } catch (IOException e) {
                // the next start of the same build clears it first
            }
        }
    }

    /**
     * The values of the secrets the pipeline references, as its pipeline sees them; an unknown secret, or one this
     * server's key cannot open, errors the build naming it.
     */
    private Secrets secrets(Pipeline p) throws IOException {
        java.util.Set<String> names = SecretReferences.names(p);
        if (names.isEmpty()) {
            return Secrets.NONE;
        }
        java.util.Map<String, String> values;
        try {
            values = secrets.values(row.pipeline(), names);
        } catch (SecretCipher.SecretException e) {
            throw new SetupException(e.getMessage());
        }
        try {
            SecretReferences.requireKnown(p, values.keySet(), "set it with: gantry secret set NAME --pipeline "
                    + row.pipeline() + " (or without --pipeline for every pipeline)");
        } catch (PipelineException e) {
            throw new SetupException(e.problems().stream().map(dev.gantry.core.pipeline.Problem::format)
                    .collect(java.util.stream.Collectors.joining("\n")));
        }
        return Secrets.of(values);
    }

    /**
     * A notification's secret, read from the vault when each attempt is made (a rotated Slack URL is used by the
     * next retry); null, which gives the delivery up, when it is not set or cannot be opened.
     */
    private String notificationSecret(SecretRef ref) {
        try {
            return secrets.values(row.pipeline(), List.of(ref.name())).get(ref.name());
        } catch (SecretCipher.SecretException e) {
            return null;
        }
    }

    private String shortSha() {
        return row.commit().substring(0, Math.min(12, row.commit().length()));
    }

    private String setupFailed(String message) {
        SetupFailure.record(store, logs, row, message, settings.engine().clock().instant());
        return "errored";
    }

    private static final class SetupException extends RuntimeException {
        SetupException(String message) {
            super(message);
        }
    }
}
