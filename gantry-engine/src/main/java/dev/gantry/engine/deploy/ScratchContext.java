package dev.gantry.engine.deploy;

import dev.gantry.core.pipeline.JobDef;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.pipeline.SecretRef;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.event.BuildInfo;
import dev.gantry.engine.exec.Executor;
import dev.gantry.engine.exec.LocalExecutor;
import dev.gantry.engine.secret.SecretMasker;
import dev.gantry.engine.step.StepContext;
import dev.gantry.engine.workspace.Directories;
import dev.gantry.engine.workspace.SourceTree;
import dev.gantry.engine.workspace.Workspaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Where a gate runs outside a build (a rollback from the CLI or the server): an empty scratch working directory,
 * local processes, no secrets and no build. Removed when closed.
 */
final class ScratchContext implements StepContext, AutoCloseable {

    private final Path dir;
    private final Path work;
    private final Executor executor;
    private final Map<String, String> env;
    private final Consumer<String> out;
    private final Cancellation cancellation = Cancellation.root();

    private ScratchContext(Path dir, Path work, Executor executor, Map<String, String> env, Consumer<String> out) {
        this.dir = dir;
        this.work = work;
        this.executor = executor;
        this.env = env;
        this.out = out;
    }

    static ScratchContext create(Map<String, String> env, Consumer<String> out) throws IOException {
        Path dir = Files.createTempDirectory("gantry-gate-");
        Path src = Files.createDirectories(dir.resolve("src"));
        LocalExecutor executor = new LocalExecutor(SourceTree.scan(src), dir.resolve("work"), Map.of());
        Path work = executor.prepareWorkingCopy("gate", 1);
        return new ScratchContext(dir, work, executor, env, out);
    }

    @Override
    public void close() {
        cancellation.cancel(Cancellation.Reason.CANCELLED, "gate over");
        try {
            Directories.deleteTree(dir);
        } catch (IOException e) {
            // a leftover scratch directory in the temp dir costs nothing but disk
        }
    }

    @Override
    public Map<String, String> environment() {
        return env;
    }

    @Override
    public Function<SecretRef, String> secrets() {
        return ref -> {
            throw new IllegalStateException("secret " + ref + " is not available to a gate run outside a build");
        };
    }

    @Override
    public SecretMasker masker() {
        return SecretMasker.NONE;
    }

    @Override
    public Path workingDirectory() {
        return work;
    }

    @Override
    public Executor executor() {
        return executor;
    }

    @Override
    public Cancellation cancellation() {
        return cancellation;
    }

    @Override
    public Duration gracePeriod() {
        return Duration.ofSeconds(10);
    }

    @Override
    public List<String> shell() {
        return List.of("bash", "-eo", "pipefail", "-c");
    }

    @Override
    public void output(String line) {
        out.accept(line);
    }

    @Override
    public Path artifactsDirectory() {
        return dir.resolve("artifacts");
    }

    @Override
    public void report(BuildEvent event) {
    }

    @Override
    public Path timingsFile() {
        return dir.resolve("timings.json");
    }

    @Override
    public Path buildDirectory() {
        return dir;
    }

    @Override
    public Workspaces workspaces() {
        return null;
    }

    @Override
    public String taskName() {
        return "gate";
    }

    @Override
    public String pipelineName() {
        return "gate";
    }

    @Override
    public BuildInfo build() {
        return null;
    }

    @Override
    public Pipeline pipeline() {
        return null;
    }

    @Override
    public JobDef job() {
        return null;
    }
}
