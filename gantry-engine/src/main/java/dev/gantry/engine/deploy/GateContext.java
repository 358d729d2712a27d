package dev.gantry.engine.deploy;

import dev.gantry.core.pipeline.JobDef;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.pipeline.SecretRef;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.event.BuildInfo;
import dev.gantry.engine.exec.Executor;
import dev.gantry.engine.secret.SecretMasker;
import dev.gantry.engine.service.ServiceHandle;
import dev.gantry.engine.step.StepContext;
import dev.gantry.engine.workspace.Workspaces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The context a gate's steps run in: the deploy step's own, plus the candidate's URL, number and environment in the
 * environment, the gate's cancellation ({@code gate_timeout}), and output copied to the release's {@code gate.log}.
 */
final class GateContext implements StepContext {

    private final StepContext base;
    private final Map<String, String> extra;
    private final Cancellation cancellation;
    private final Consumer<String> copy;

    GateContext(StepContext base, Map<String, String> extra, Cancellation cancellation, Consumer<String> copy) {
        this.base = base;
        this.extra = Map.copyOf(extra);
        this.cancellation = cancellation;
        this.copy = copy;
    }

    @Override
    public Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(base.environment());
        env.putAll(extra);
        return env;
    }

    @Override
    public Function<SecretRef, String> secrets() {
        return base.secrets();
    }

    @Override
    public SecretMasker masker() {
        return base.masker();
    }

    @Override
    public Path workingDirectory() {
        return base.workingDirectory();
    }

    @Override
    public Executor executor() {
        return base.executor();
    }

    @Override
    public Cancellation cancellation() {
        return cancellation;
    }

    @Override
    public Duration gracePeriod() {
        return base.gracePeriod();
    }

    @Override
    public List<String> shell() {
        return base.shell();
    }

    @Override
    public void output(String line) {
        copy.accept(line);
        base.output(line);
    }

    @Override
    public Path artifactsDirectory() {
        return base.artifactsDirectory();
    }

    @Override
    public void report(BuildEvent event) {
        base.report(event);
    }

    @Override
    public Path timingsFile() {
        return base.timingsFile();
    }

    @Override
    public Path buildDirectory() {
        return base.buildDirectory();
    }

    @Override
    public Workspaces workspaces() {
        return base.workspaces();
    }

    @Override
    public String taskName() {
        return base.taskName();
    }

    @Override
    public String pipelineName() {
        return base.pipelineName();
    }

    @Override
    public BuildInfo build() {
        return base.build();
    }

    @Override
    public Pipeline pipeline() {
        return base.pipeline();
    }

    @Override
    public JobDef job() {
        return base.job();
    }

    /** A gate's steps may use the job's services (a batch against the job's model server) as the job's own do. */
    @Override
    public Map<String, ServiceHandle> services() {
        return base.services();
    }
}
