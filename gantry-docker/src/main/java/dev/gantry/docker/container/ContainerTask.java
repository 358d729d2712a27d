package dev.gantry.docker.container;

import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.model.ContainerNetwork;
import dev.gantry.docker.host.DockerErrors;
import dev.gantry.docker.host.DockerHost;
import dev.gantry.docker.host.DockerHosts;
import dev.gantry.engine.process.ProcessTree;
import dev.gantry.engine.telemetry.Meter;
import dev.gantry.engine.telemetry.ProcStats;
import dev.gantry.engine.exec.Executor;
import dev.gantry.engine.exec.ProcessSpec;
import dev.gantry.engine.exec.ServiceSpec;
import dev.gantry.engine.exec.StepProcess;
import dev.gantry.engine.exec.TaskExecutor;
import dev.gantry.engine.exec.TaskSetup;
import dev.gantry.engine.pool.Placement;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One task on a Docker host: each attempt gets a fresh container of the job's image on a network of its own,
 * with the working copy bind-mounted at the same path; steps run in it one after another with {@code docker
 * exec}; services run in containers of their own that share its network, so steps reach them at
 * {@code 127.0.0.1} and by name. The end of an attempt stops the containers with the task's stop signal and grace,
 * then removes them and the network. Working copies themselves are made by {@code files}, on this machine.
 */
public final class ContainerTask implements TaskExecutor {

    private final DockerHost host;
    private final Placement placement;
    private final Executor files;
    private final TaskSetup setup;
    private final ContainerPlan plan;
    private final InspectImageResponse image;

    private volatile TaskContainer current;

    private ContainerTask(DockerHost host, Placement placement, Executor files, TaskSetup setup, ContainerPlan plan,
                          InspectImageResponse image) {
        this.host = host;
        this.placement = placement;
        this.files = files;
        this.setup = setup;
        this.plan = plan;
        this.image = image;
    }

    /** Binds {@code setup}'s task to {@code host}: makes sure its image is there (pulling it by its policy). */
    public static ContainerTask open(DockerHost host, Placement placement, Executor files, TaskSetup setup,
                                     ContainerPlan plan) throws IOException {
        try {
            InspectImageResponse image = Images.ensure(host, setup.image(), setup.secrets());
            return new ContainerTask(host, placement, files, setup, plan, image);
        } catch (IOException e) {
            lost(host, placement, e);
            throw e;
        }
    }

    @Override
    public Map<String, Integer> pools() {
        return files.pools();
    }

    @Override
    public Path prepareWorkingCopy(String taskKey, int attempt) throws IOException {
        removeContainers();
        Path copy = files.prepareWorkingCopy(taskKey, attempt);
        try {
            current = TaskContainer.create(host, setup, plan, image, attempt, copy);
        } catch (IOException e) {
            lost(host, placement, e);
            files.discardWorkingCopy(copy);
            throw e;
        }
        return copy;
    }

    @Override
    public void discardWorkingCopy(Path workingCopy) {
        removeContainers();
        files.discardWorkingCopy(workingCopy);
    }

    @Override
    public StepProcess start(ProcessSpec spec) throws IOException {
        return container().exec(spec, this::hostLost);
    }

    @Override
    public StepProcess startService(ServiceSpec service) throws IOException {
        return container().service(service, this::hostLost);
    }

    @Override
    public String serviceAddress() {
        return current == null ? "127.0.0.1" : current.address();
    }

    @Override
    public void stopAll(String marker, Duration grace) {
        if (current != null) {
            current.kill(marker, "TERM", grace);
        }
    }

    /**
     * The task's and each service's use from their containers' cgroups (memory as the limit counts it, and on any
     * engine); their processes by marker still name the GPU memory they hold.
     */
    @Override
    public java.util.Optional<Meter> meter(String scope, ProcessTree.Selector byMarker) {
        java.util.function.Function<TaskContainer, java.util.Optional<ContainerStats>> which;
        if (scope.equals("task")) {
            which = c -> java.util.Optional.of(c.stats());
        } else if (scope.startsWith("service:")) {
            String name = scope.substring("service:".length());
            which = c -> c.service(name).map(ServiceContainer::stats);
        } else {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(() -> {
            TaskContainer c = current;
            ProcStats.Usage usage = c == null ? new ProcStats.Usage(0, 0)
                    : which.apply(c).map(ContainerStats::usage).orElse(new ProcStats.Usage(0, 0));
            return new Meter.Reading(usage, ProcessTree.find(byMarker));
        });
    }

    @Override
    public void close() {
        removeContainers();
    }

    private TaskContainer container() throws IOException {
        if (current == null) {
            throw new IOException("the task's container was not created: no working copy was prepared");
        }
        return current;
    }

    private void removeContainers() {
        if (current != null) {
            current.remove();
            current = null;
        }
    }

    /** The words for a step or service whose stream broke; marks the host down when it was lost. */
    private String hostLost(Throwable error) {
        if (DockerErrors.isConnectionLost(error)) {
            placement.down(host.name(), DockerErrors.message(error));
            return "gantry: lost docker host " + host.spec() + ": " + DockerErrors.message(error)
                    + "; it receives no new task until it answers again (asked every " + DockerHosts.RECHECK.toSeconds() + "s)";
        }
        return "gantry: the container's output stream broke: " + DockerErrors.message(error);
    }

    private static void lost(DockerHost host, Placement placement, IOException e) {
        if (DockerErrors.isConnectionLost(e)) {
            placement.down(host.name(), DockerErrors.message(e));
        }
    }

    /** What every container of a task is made with, beyond the task's own setup. */
    /**
     * @param filesMarker a file Gantry wrote in the build's directory: a container that does not see it runs on a
     *                    host that does not share Gantry's files (null: not checked)
     */
    public record ContainerPlan(String instance, List<Mount> mounts, String defaultUser, Path filesMarker) {

        public ContainerPlan {
            mounts = List.copyOf(mounts);
        }
    }

    /** A host directory or file bind-mounted at the same path. */
    public record Mount(Path path, boolean readOnly) {
    }

    static List<String> envList(Map<String, String> env) {
        List<String> list = new ArrayList<>();
        env.forEach((k, v) -> list.add(k + "=" + v));
        return list;
    }

    static String ipOf(Map<String, ContainerNetwork> networks, String network) {
        ContainerNetwork n = networks == null ? null : networks.get(network);
        return n == null || n.getIpAddress() == null || n.getIpAddress().isEmpty() ? "127.0.0.1" : n.getIpAddress();
    }
}
