package dev.gantry.docker;

import dev.gantry.core.pipeline.ImageRef;
import dev.gantry.docker.container.ContainerTask;
import dev.gantry.docker.host.DockerHosts;
import dev.gantry.engine.exec.Executor;
import dev.gantry.engine.exec.ExecutorFactory;
import dev.gantry.engine.exec.LocalExecutor;
import dev.gantry.engine.exec.ProcessSpec;
import dev.gantry.engine.exec.StepProcess;
import dev.gantry.engine.exec.TaskExecutor;
import dev.gantry.engine.exec.TaskSetup;
import dev.gantry.engine.pool.Placement;
import dev.gantry.engine.workspace.SourceTree;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs each task whose job names an {@code image:} as a container on one of the Docker hosts, placed by the
 * hosts' shared {@link Placement}; a job with {@code image: none} runs as local processes. Working copies are
 * made on this machine, under the build's directory, which every container mounts at the same path: a host must
 * therefore see this machine's files at the same paths (the local engine does; a remote one needs the directory
 * shared).
 */
public final class DockerExecutor implements Executor {

    private final DockerHosts hosts;
    private final LocalExecutor files;
    private final ContainerTask.ContainerPlan plan;

    private DockerExecutor(DockerHosts hosts, LocalExecutor files, ContainerTask.ContainerPlan plan) {
        this.hosts = hosts;
        this.files = files;
        this.plan = plan;
    }

    /**
     * Builds' executors on {@code hosts}; closing the factory closes the hosts' connections.
     *
     * @param shared directories every container mounts at the same path besides the build's own (the volumes'
     *               root, read-write) and Gantry itself (its JVM and the {@code gantry} launcher, read-only)
     */
    public static ExecutorFactory factory(DockerHosts hosts, List<ContainerTask.Mount> shared) {
        return new ExecutorFactory() {
            @Override
            public Executor create(SourceTree source, Path buildDir, Map<String, Integer> pools) {
                return DockerExecutor.create(hosts, source, buildDir, shared);
            }

            @Override
            public void close() {
                hosts.close();
            }
        };
    }

    public static DockerExecutor create(DockerHosts hosts, SourceTree source, Path buildDir,
                                        List<ContainerTask.Mount> shared) {
        List<ContainerTask.Mount> mounts = new ArrayList<>();
        mounts.add(new ContainerTask.Mount(buildDir.toAbsolutePath(), false));
        mounts.addAll(shared);
        LocalExecutor files = new LocalExecutor(source, buildDir.resolve("work"), Map.of());
        return new DockerExecutor(hosts, files, new ContainerTask.ContainerPlan(hosts.instance(), mounts,
                GantryUser.current(), filesMarker(buildDir)));
    }

    /** The file each task container must see for its host to share Gantry's files; null when it cannot be written. */
    private static Path filesMarker(Path buildDir) {
        Path marker = buildDir.toAbsolutePath().resolve(".gantry-files");
        try {
            java.nio.file.Files.createDirectories(buildDir);
            java.nio.file.Files.writeString(marker, "Gantry's files, as a Docker host must see them\n");
            return marker;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public Map<String, Integer> pools() {
        return hosts.placement().capacity(hosts.all().get(0).name());
    }

    @Override
    public Placement placement() {
        return hosts.placement();
    }

    @Override
    public boolean isolates(ImageRef image) {
        return image != null;
    }

    @Override
    public TaskExecutor forTask(TaskSetup task) throws IOException {
        if (task.image() == null) {
            return TaskExecutor.of(files);
        }
        return ContainerTask.open(hosts.host(task.allocation().host()), hosts.placement(), files, task, plan);
    }

    @Override
    public Path prepareWorkingCopy(String taskKey, int attempt) throws IOException {
        return files.prepareWorkingCopy(taskKey, attempt);
    }

    @Override
    public void discardWorkingCopy(Path workingCopy) {
        files.discardWorkingCopy(workingCopy);
    }

    @Override
    public StepProcess start(ProcessSpec spec) throws IOException {
        return files.start(spec);
    }

    @Override
    public void stopAll(String marker, Duration grace) {
        files.stopAll(marker, grace);
    }
}
