package dev.gantry.docker.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.gantry.docker.host.DockerErrors;
import dev.gantry.docker.host.DockerHost;
import dev.gantry.docker.host.Labels;
import dev.gantry.engine.exec.ProcessSpec;
import dev.gantry.engine.exec.ServiceSpec;
import dev.gantry.engine.exec.StepProcess;
import dev.gantry.engine.exec.TaskSetup;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The container of one task attempt and its network: created running an idle process under Docker's init (which
 * reaps what the steps leave behind), with the job's memory limit, the task's GPUs as an NVIDIA device request,
 * the working copy and Gantry's other directories bind-mounted at the same paths, and the job's service names
 * resolving to {@code 127.0.0.1}. Steps are {@code docker exec}s in it; services are containers sharing its
 * network.
 */
final class TaskContainer {

    /** The idle main process: it only waits to be stopped. */
    private static final List<String> IDLE = List.of("sleep", "2147483647");

    private final DockerHost host;
    private final TaskSetup setup;
    private final ContainerTask.ContainerPlan plan;
    private final String id;
    private final String name;
    private final String network;
    private final String address;
    private final String user;
    private final String imagePath;
    private final java.util.Set<String> imageVariables;
    private final Path workingCopy;
    private final List<Bind> binds;
    private final List<ServiceContainer> services = new CopyOnWriteArrayList<>();
    private final ContainerStats stats;

    private TaskContainer(DockerHost host, TaskSetup setup, ContainerTask.ContainerPlan plan, String id, String name,
                          String network, String address, String user, InspectImageResponse image, Path workingCopy,
                          List<Bind> binds) {
        this.host = host;
        this.setup = setup;
        this.plan = plan;
        this.id = id;
        this.name = name;
        this.network = network;
        this.address = address;
        this.user = user;
        this.imagePath = Images.path(image);
        this.imageVariables = Images.variables(image);
        this.workingCopy = workingCopy;
        this.binds = binds;
        this.stats = ContainerStats.follow(host, id);
    }

    static TaskContainer create(DockerHost host, TaskSetup setup, ContainerTask.ContainerPlan plan,
                                InspectImageResponse image, int attempt, Path workingCopy) throws IOException {
        DockerClient docker = host.client();
        String name = "gantry-" + setup.taskId().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-")
                + "-" + attempt;
        Map<String, String> labels = Labels.of(plan.instance(), setup.buildId(), setup.task(), "task");
        String network = null;
        String id = null;
        try {
            network = docker.createNetworkCmd().withName(name).withDriver("bridge").withLabels(labels)
                    .withCheckDuplicate(true).exec().getId();
            List<Bind> binds = host.spec().sharedFiles() ? binds(plan, workingCopy)
                    : WorkingCopySync.hostVolumes(plan, workingCopy);
            HostConfig hc = HostConfig.newHostConfig()
                    .withInit(true)
                    .withNetworkMode(name)
                    .withBinds(binds)
                    .withExtraHosts(setup.services().stream().map(s -> s + ":127.0.0.1").toArray(String[]::new));
            if (setup.memoryBytes() != null) {
                hc.withMemory(setup.memoryBytes()).withMemorySwap(setup.memoryBytes());
            }
            List<Integer> gpus = setup.allocation().slots().get("gpu");
            if (gpus != null && !gpus.isEmpty()) {
                hc.withDeviceRequests(List.of(new DeviceRequest().withDriver("nvidia")
                        .withDeviceIds(gpus.stream().map(String::valueOf).toList())
                        .withCapabilities(List.of(List.of("gpu")))));
            }
            CreateContainerCmd cmd = docker.createContainerCmd(setup.image().name())
                    .withName(name)
                    .withLabels(labels)
                    .withEntrypoint(IDLE)
                    .withCmd(List.of())
                    .withStopSignal("SIG" + setup.stopSignal())
                    .withHostName(shortName(setup.task()))
                    .withHostConfig(hc);
            id = cmd.exec().getId();
            start(host, id, gpus);
            String address = ContainerTask.ipOf(docker.inspectContainerCmd(id).exec().getNetworkSettings()
                    .getNetworks(), name);
            String user = setup.image().user() != null ? setup.image().user() : plan.defaultUser();
            TaskContainer c = new TaskContainer(host, setup, plan, id, name, network, address, user, image,
                    workingCopy, binds);
            if (host.spec().sharedFiles()) {
                c.requireGantrysFiles();
                c.handOver(user);
            } else {
                c.push();
            }
            return c;
        } catch (RuntimeException e) {
            removeQuietly(docker, id, network);
            throw DockerErrors.isConnectionLost(e) ? host.unreachable(e)
                    : new IOException("cannot create the task's container from image " + setup.image().name()
                    + " on docker host " + host.name() + ": " + DockerErrors.message(e), e);
        } catch (IOException e) {
            removeQuietly(docker, id, network);
            throw e;
        }
    }

    private static void start(DockerHost host, String id, List<Integer> gpus) throws IOException {
        try {
            host.client().startContainerCmd(id).exec();
        } catch (RuntimeException e) {
            if (gpus != null && !gpus.isEmpty() && !DockerErrors.isConnectionLost(e)) {
                throw new IOException("cannot start a container with GPUs " + gpus + " on docker host " + host.name()
                        + ": " + DockerErrors.message(e) + " (is the NVIDIA Container Toolkit installed there?)", e);
            }
            throw e;
        }
    }

    /** The task container's resource use, from its cgroup (its services have containers of their own). */
    ContainerStats stats() {
        return stats;
    }

    /** The latest container started for the service named {@code name}, if any. */
    java.util.Optional<ServiceContainer> service(String name) {
        for (int i = services.size() - 1; i >= 0; i--) {
            if (services.get(i).name().equals(name)) {
                return java.util.Optional.of(services.get(i));
            }
        }
        return java.util.Optional.empty();
    }

    /** Where Gantry reaches the task's services: the container's address on its network. */
    String address() {
        return address;
    }

    String id() {
        return id;
    }

    /** Starts a step with {@code docker exec}. */
    StepProcess exec(ProcessSpec spec, Function<Throwable, String> lost) throws IOException {
        if (!copiesFiles() || !spec.marker().startsWith(STEP_MARKER)) {
            return ExecProcess.start(this, spec, lost);
        }
        // a step on a host without Gantry's files: the working copy goes in before it and comes back after it
        push();
        return ExecProcess.start(this, spec, lost, (code, out) -> {
            try {
                pull();
                return code;
            } catch (IOException e) {
                out.note("gantry: " + e.getMessage());
                return code == 0 ? StreamedProcess.LOST : code;
            }
        });
    }

    /** The marker of a step's processes (probes carry their own, and never move the working copy). */
    private static final String STEP_MARKER = "GANTRY_STEP_ID=";

    /** Starts a service in a container of its own that shares this one's network. */
    StepProcess service(ServiceSpec spec, Function<Throwable, String> lost) throws IOException {
        ServiceContainer s = ServiceContainer.start(this, spec, lost);
        services.add(s);
        return s;
    }

    DockerHost host() {
        return host;
    }

    TaskSetup setup() {
        return setup;
    }

    ContainerTask.ContainerPlan plan() {
        return plan;
    }

    String user() {
        return user;
    }

    /** What the task container mounts; its services mount the same. */
    List<Bind> binds() {
        return binds;
    }

    /**
     * The environment a process in the task sees: the task's, with the tools' PATH in front of the image's,
     * {@code CUDA_VISIBLE_DEVICES} counting the container's own GPUs (0 to k-1: the device request makes the
     * assigned ones the only ones inside).
     */
    Map<String, String> environment(Map<String, String> env) {
        Map<String, String> e = new HashMap<>(env);
        String path = e.get("PATH");
        e.put("PATH", path == null || path.isEmpty() ? imagePath : path + ":" + imagePath);
        List<Integer> gpus = setup.allocation().slots().get("gpu");
        if (gpus != null && !gpus.isEmpty()) {
            e.put("CUDA_VISIBLE_DEVICES", IntStream.range(0, gpus.size()).mapToObj(String::valueOf)
                    .collect(Collectors.joining(",")));
        }
        return e;
    }

    /**
     * The command as run inside: led by {@code env -u} for what Docker adds (HOME, HOSTNAME) that neither image nor
     * task set, and with its standard error sent into its standard output (Docker copies the two through pipes of
     * their own, which loses the order they were written in).
     */
    List<String> command(List<String> command, Map<String, String> env) {
        List<String> c = new ArrayList<>(List.of("env"));
        for (String added : List.of("HOME", "HOSTNAME")) {
            if (!env.containsKey(added) && !imageVariables.contains(added)) {
                c.add("-u");
                c.add(added);
            }
        }
        c.addAll(List.of("sh", "-c", "exec 2>&1; exec \"$@\"", "sh"));
        c.addAll(command);
        return c;
    }

    /**
     * Stops every process in the container whose environment carries {@code marker}: {@code signal}, up to
     * {@code grace}, then SIGKILL. Runs as root inside, with the image's shell tools.
     */
    void kill(String marker, String signal, Duration grace) {
        AsRoot.kill(this, marker, signal, grace);
    }

    /** Stops the services and the container (stop signal, grace), then removes them and the network. */
    void remove() {
        stats.close();
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).remove();
        }
        try {
            if (host.spec().sharedFiles() && !plan.defaultUser().equals(user)) {
                AsRoot.run(this, List.of("chown", "-R", plan.defaultUser(), workingCopy.toString()), Duration.ofMinutes(5));
            }
            host.client().stopContainerCmd(id).withTimeout((int) Math.max(1, setup.grace().toSeconds())).exec();
        } catch (RuntimeException e) {
            // already stopped, or the host is gone: removal below says the rest
        }
        removeQuietly(host.client(), id, network);
    }

    /**
     * Fails when the container does not see the file Gantry wrote in the build's directory: its engine runs on a
     * machine that does not share Gantry's files at the same paths (Docker then mounts empty directories there, and
     * steps would run on an empty working copy).
     */
    private void requireGantrysFiles() throws IOException {
        if (plan.filesMarker() != null
                && AsRoot.run(this, List.of("test", "-f", plan.filesMarker().toString()), Duration.ofMinutes(1)) != 0) {
            throw new IOException("docker host " + host.name() + " does not see Gantry's files: "
                    + plan.filesMarker().getParent() + " is not there at the same path. A remote engine needs"
                    + " Gantry's data directory shared with it at the same path (NFS or similar; see docs/docker.md)");
        }
    }

    /** Gives the working copy to the configured user, when it is not Gantry's own. */
    private void handOver(String to) throws IOException {
        if (!plan.defaultUser().equals(to)) {
            int exit = AsRoot.run(this, List.of("chown", "-R", to, workingCopy.toString()), Duration.ofMinutes(5));
            if (exit != 0) {
                throw new IOException("cannot give the working copy to user " + to + " in image "
                        + setup.image().name() + " (chown exited with " + exit + ")");
            }
        }
    }

    /** Whether this host gets the working copy copied in and out ({@code files=copy}) instead of mounted. */
    boolean copiesFiles() {
        return !host.spec().sharedFiles();
    }

    Path workingCopy() {
        return workingCopy;
    }

    /**
     * On a host that does not share Gantry's files: copies this machine's working copy in (as the steps' user),
     * with the directories its links into volumes point at.
     */
    void push() throws IOException {
        WorkingCopySync.push(this, workingCopy, user);
    }

    /** After a step on such a host: copies the container's working copy back over this machine's. */
    void pull() throws IOException {
        WorkingCopySync.pull(this, workingCopy);
    }

    private static List<Bind> binds(ContainerTask.ContainerPlan plan, Path workingCopy) {
        List<Bind> binds = new ArrayList<>();
        for (ContainerTask.Mount m : plan.mounts()) {
            binds.add(new Bind(m.path().toString(), new Volume(m.path().toString()),
                    m.readOnly() ? AccessMode.ro : AccessMode.rw));
        }
        boolean covered = plan.mounts().stream().anyMatch(m -> !m.readOnly() && workingCopy.startsWith(m.path()));
        if (!covered) {
            binds.add(new Bind(workingCopy.toString(), new Volume(workingCopy.toString()), AccessMode.rw));
        }
        return binds;
    }

    private static String shortName(String task) {
        String s = task.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        return s.length() > 63 ? s.substring(0, 63) : s;
    }

    static void removeQuietly(DockerClient docker, String container, String network) {
        if (container != null) {
            try {
                docker.removeContainerCmd(container).withForce(true).withRemoveVolumes(true).exec();
            } catch (RuntimeException e) {
                // gone already
            }
        }
        if (network != null) {
            try {
                docker.removeNetworkCmd(network).exec();
            } catch (RuntimeException e) {
                // gone already, or the host is unreachable: the next start-up's cleanup removes it
            }
        }
    }
}
