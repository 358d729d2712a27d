package dev.gantry.engine.local;

import dev.gantry.core.plan.Plan;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.event.BuildInfo;
import dev.gantry.engine.event.BuildListener;
import dev.gantry.engine.record.BuildRecorder;
import dev.gantry.engine.record.StateDirectory;
import dev.gantry.engine.scheduler.BuildResult;
import dev.gantry.engine.scheduler.BuildRunner;
import dev.gantry.engine.scheduler.EngineSettings;
import dev.gantry.engine.serial.JobGate;
import dev.gantry.engine.step.StepRunners;
import dev.gantry.engine.workspace.Directories;
import dev.gantry.engine.workspace.SourceTree;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One build of a pipeline on this machine, as {@code gantry run} does it: numbered under {@code .gantry/} beside
 * the pipeline, tasks in private copies of the working tree, a record and logs kept when it ends.
 */
public final class LocalBuild {

    public static final String STATE_DIR = ".gantry";

    /** Where {@code gantry run} keeps the environments (releases) of the pipeline in {@code pipelineFile}. */
    public static java.nio.file.Path environmentsDirectory(java.nio.file.Path pipelineFile) {
        return pipelineFile.toAbsolutePath().getParent().resolve(STATE_DIR).resolve("environments");
    }

    private final Plan plan;
    private final Path pipelineDir;
    private final Map<String, Integer> pools;
    private final EngineSettings settings;
    private final BuildInfo info;
    private final BuildRecorder recorder;
    private final JobGate gate;

    private LocalBuild(Plan plan, Path pipelineDir, Map<String, Integer> pools, EngineSettings settings,
                       BuildInfo info, JobGate gate) {
        this.gate = gate;
        this.plan = plan;
        this.pipelineDir = pipelineDir;
        this.pools = Map.copyOf(pools);
        this.settings = settings;
        this.info = info;
        this.recorder = new BuildRecorder(info, plan);
    }

    /** Takes the next build number under the pipeline's {@code .gantry/} directory. */
    public static LocalBuild create(Plan plan, Path pipelineFile, Map<String, Integer> pools,
                                    EngineSettings settings) throws IOException {
        Path dir = pipelineFile.toAbsolutePath().getParent();
        StateDirectory.NewBuild nb = new StateDirectory(dir.resolve(STATE_DIR)).newBuild();
        String id = UUID.randomUUID().toString().substring(0, 8);
        BuildInfo info = new BuildInfo(nb.number(), id, plan.pipeline().name(), plan.pipeline().file(),
                plan.pipeline().digest(), plan.revision(), "local", nb.dir(), dir.resolve(STATE_DIR).resolve("timings"));
        snapshotTimings(info);
        return new LocalBuild(plan, dir, pools, settings, info, JobGate.OPEN);
    }

    /**
     * A build whose number, id and directories were chosen elsewhere (the server's): its tasks copy
     * {@code sourceDir}, a checkout of its revision, and {@code gate} holds back serial jobs while other builds run.
     */
    public static LocalBuild of(Plan plan, Path sourceDir, BuildInfo info, Map<String, Integer> pools,
                                EngineSettings settings, JobGate gate) throws IOException {
        java.nio.file.Files.createDirectories(info.dir());
        snapshotTimings(info);
        return new LocalBuild(plan, sourceDir, pools, settings, info, gate);
    }

    /** Copies the pipeline's timings history into the build, so all its shards split with the same figures. */
    private static void snapshotTimings(BuildInfo info) throws IOException {
        Path history = info.timings().resolve(info.pipelineKey());
        if (!java.nio.file.Files.isDirectory(history)) {
            return;
        }
        try (var files = java.nio.file.Files.list(history)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                Path copy = info.dir().resolve("timings").resolve(info.pipelineKey()).resolve(f.getFileName());
                java.nio.file.Files.createDirectories(copy.getParent());
                java.nio.file.Files.copy(f, copy);
            }
        }
    }

    public BuildInfo info() {
        return info;
    }

    /** Where a task's full log is kept. */
    public Path logFile(String task) {
        return recorder.logFile(task);
    }

    /** Runs every task; the working copies are removed afterwards, the record and logs kept. */
    public BuildResult run(BuildListener listener, Cancellation cancel) throws IOException {
        SourceTree source = SourceTree.scan(pipelineDir);
        Path work = info.dir().resolve("work");
        dev.gantry.engine.exec.Executor executor = settings.executors().create(source, info.dir(), pools);
        BuildRunner runner = new BuildRunner(executor,
                dev.gantry.engine.deploy.DeployRunner.standard(settings.deployments()), settings,
                BuildListener.all(List.of(recorder, listener)), gate);
        try {
            return runner.run(plan, info, cancel);
        } finally {
            Directories.deleteTree(work);
            Directories.deleteTree(info.dir().resolve("workspace"));
        }
    }
}
