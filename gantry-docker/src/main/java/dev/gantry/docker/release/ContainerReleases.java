package dev.gantry.docker.release;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.RestartPolicy;
import dev.gantry.core.pipeline.ImageRef;
import dev.gantry.core.pipeline.SecretRef;
import dev.gantry.docker.GantryUser;
import dev.gantry.docker.container.Images;
import dev.gantry.docker.host.DockerErrors;
import dev.gantry.docker.host.DockerHost;
import dev.gantry.docker.host.DockerHostSpec;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.deploy.DeployException;
import dev.gantry.engine.deploy.LaunchRecord;
import dev.gantry.engine.deploy.ReleaseContainers;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Each release a container of its image (by id), on the host's network so that its port is the host's as for a
 * local process, restarted by Docker when it crashes or the engine restarts ({@code unless-stopped}), with the
 * release's directory and the volumes' root mounted at the same paths and its output appended to
 * {@code service.log}. Containers carry {@value #RELEASE} (the release's id) and are found by it; the start-up
 * clean-up of task leftovers never touches them (they carry no instance label). Connections are opened when first
 * needed, from the release's record, so a rollback from the CLI and the server's supervisor reach the host a
 * build deployed to.
 */
public final class ContainerReleases implements ReleaseContainers, AutoCloseable {

    public static final String RELEASE = "dev.gantry.release";
    public static final String ENVIRONMENT = "dev.gantry.environment";
    private static final String ROLE = "dev.gantry.role";

    private final List<DockerHostSpec> hosts;
    private final Path volumes;
    private final Map<String, DockerHost> connections = new ConcurrentHashMap<>();

    /**
     * @param hosts   where new releases may be placed ({@code environments.NAME.host} names one; the first by
     *                default)
     * @param volumes the volumes' root, mounted into every release container; null for none
     */
    public ContainerReleases(List<DockerHostSpec> hosts, Path volumes) {
        this.hosts = List.copyOf(hosts);
        this.volumes = volumes;
    }

    @Override
    public LaunchRecord.Container place(String host, ImageRef image, Function<SecretRef, String> secrets)
            throws IOException {
        DockerHostSpec spec = host == null ? hosts.get(0) : hosts.stream().filter(h -> h.name().equals(host))
                .findFirst().orElseThrow(() -> new DeployException("the environment's host '" + host + "' is not"
                        + " one of the docker hosts Gantry was given (" + hosts.stream().map(DockerHostSpec::name)
                        .collect(Collectors.joining(", ")) + "): add it with --docker-host " + host + "=URL"));
        if (!spec.sharedFiles()) {
            throw new DeployException("releases run in containers only on docker hosts that share Gantry's files"
                    + " (files=shared): docker host " + spec.name() + " copies them (files=copy); share Gantry's"
                    + " data directory with it at the same path and say files=shared, or deploy to another host");
        }
        DockerHost docker = connection(spec);
        docker.ping();
        InspectImageResponse present = Images.ensure(docker, image, secrets);
        List<String> mounts = volumes == null ? List.of() : List.of(volumes.toAbsolutePath().toString());
        return new LaunchRecord.Container(spec.name(), spec.url().toString(),
                spec.tls() == null ? null : spec.tls().toString(),
                spec.sshConfig() == null ? null : spec.sshConfig().toString(), address(spec.url()), image.name(),
                present.getId(), image.user() != null ? image.user() : GantryUser.current(), mounts);
    }

    @Override
    public BooleanSupplier launch(LaunchRecord record, Path releaseDir) throws IOException {
        LaunchRecord.Container c = record.container();
        DockerHost host = connection(c);
        DockerClient docker = host.client();
        removeAll(docker, record); // a release started again gets a fresh container
        try {
            String id = docker.createContainerCmd(c.imageId())
                    .withName(name(record))
                    .withLabels(Map.of(ROLE, "release", RELEASE, record.releaseId(), ENVIRONMENT,
                            record.environment()))
                    .withEntrypoint(List.of("sh", "-c", "exec >>\"$0\" 2>&1; exec \"$@\"",
                            releaseDir.resolve("service.log").toString()))
                    .withCmd(command(record))
                    .withEnv(environment(record))
                    .withUser(c.user())
                    .withWorkingDir(record.directory() == null ? releaseDir.toString()
                            : releaseDir.resolve(record.directory()).normalize().toString())
                    .withStopSignal("SIG" + record.stopSignal())
                    .withStopTimeout(stopSeconds(record))
                    .withHostConfig(hostConfig(record, releaseDir))
                    .exec().getId();
            docker.startContainerCmd(id).exec();
            return () -> exited(host, id);
        } catch (RuntimeException e) {
            removeAll(docker, record);
            throw DockerErrors.isConnectionLost(e) ? host.unreachable(e) : new DeployException("cannot start"
                    + " release " + record.number() + " from image " + c.image() + " (" + c.imageId() + ") on docker"
                    + " host " + c.host() + ": " + DockerErrors.message(e));
        }
    }

    @Override
    public Set<Long> pids(LaunchRecord record) {
        Set<Long> pids = new HashSet<>();
        try {
            DockerClient docker = connection(record.container()).client();
            for (Container found : containers(docker, record, false)) {
                InspectContainerResponse.ContainerState s = docker.inspectContainerCmd(found.getId()).exec()
                        .getState();
                if (Boolean.TRUE.equals(s.getRunning()) && !Boolean.TRUE.equals(s.getRestarting())
                        && s.getPidLong() != null && s.getPidLong() > 0) {
                    pids.add(s.getPidLong());
                }
            }
        } catch (IOException | RuntimeException e) {
            // the host cannot be asked: nothing of it is seen running
        }
        return pids;
    }

    /** Docker's stop (its signal, its grace, then SIGKILL), which also ends the restart policy; then removal. */
    @Override
    public void stop(LaunchRecord record) {
        DockerClient docker;
        try {
            docker = connection(record.container()).client();
        } catch (IOException e) {
            return;
        }
        try {
            for (Container found : containers(docker, record, true)) {
                try {
                    docker.stopContainerCmd(found.getId()).withTimeout(stopSeconds(record)).exec();
                } catch (RuntimeException e) {
                    // stopped already
                }
            }
        } catch (RuntimeException e) {
            return; // the host cannot be reached: its containers are left as they are
        }
        removeAll(docker, record);
    }

    /** Once its container is stopped and removed, its processes, and with them their GPU memory, are gone. */
    @Override
    public Optional<String> awaitGpuReleased(LaunchRecord record, Set<Long> pids, Duration limit,
                                             Cancellation cancel) {
        return Optional.empty();
    }

    @Override
    public void close() {
        connections.values().forEach(DockerHost::close);
        connections.clear();
    }

    private HostConfig hostConfig(LaunchRecord record, Path releaseDir) {
        List<com.github.dockerjava.api.model.Bind> binds = new ArrayList<>();
        binds.add(bind(releaseDir.toString()));
        record.container().mounts().stream().filter(m -> !releaseDir.startsWith(m)).map(ContainerReleases::bind)
                .forEach(binds::add);
        HostConfig hc = HostConfig.newHostConfig()
                .withNetworkMode("host")
                .withInit(true)
                .withRestartPolicy(RestartPolicy.unlessStoppedRestart())
                .withBinds(binds);
        List<String> gpus = gpus(record);
        if (!gpus.isEmpty()) {
            hc.withDeviceRequests(List.of(new DeviceRequest().withDriver("nvidia").withDeviceIds(gpus)
                    .withCapabilities(List.of(List.of("gpu")))));
        }
        return hc;
    }

    private static com.github.dockerjava.api.model.Bind bind(String path) {
        return new com.github.dockerjava.api.model.Bind(path, new com.github.dockerjava.api.model.Volume(path));
    }

    /** The host's GPU indices the deploy's task held ({@code GANTRY_POOL_GPU}): the release gets exactly those. */
    private static List<String> gpus(LaunchRecord record) {
        String held = record.env().getOrDefault("GANTRY_POOL_GPU", "");
        return held.isBlank() ? List.of() : List.of(held.split(","));
    }

    private static List<String> command(LaunchRecord record) {
        List<String> cmd = new ArrayList<>(record.shell());
        cmd.add(record.command());
        return cmd;
    }

    /** Its environment, its marker, and CUDA's device numbers counted inside (0 to k-1). */
    private static List<String> environment(LaunchRecord record) {
        Map<String, String> env = new LinkedHashMap<>(record.env());
        env.put(LaunchRecord.MARKER_KEY, record.releaseId());
        List<String> gpus = gpus(record);
        if (!gpus.isEmpty()) {
            env.put("CUDA_VISIBLE_DEVICES", IntStream.range(0, gpus.size()).mapToObj(String::valueOf)
                    .collect(Collectors.joining(",")));
        }
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    /** Whether the container ended, or crashed once (Docker restarting it), while the release starts. */
    private static boolean exited(DockerHost host, String id) {
        try {
            InspectContainerResponse i = host.client().inspectContainerCmd(id).exec();
            InspectContainerResponse.ContainerState s = i.getState();
            return !Boolean.TRUE.equals(s.getRunning()) || Boolean.TRUE.equals(s.getRestarting())
                    || (i.getRestartCount() != null && i.getRestartCount() > 0);
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            return true;
        } catch (RuntimeException e) {
            return false; // cannot tell: readiness decides
        }
    }

    private static int stopSeconds(LaunchRecord record) {
        return (int) Math.max(1, record.grace() == null ? 10 : record.grace().toSeconds());
    }

    /** {@code gantry-release-<environment>-<N>-<8 hex of its id>}: readable in {@code docker ps}, and unique. */
    private static String name(LaunchRecord record) {
        String id = record.releaseId();
        String tail = id.substring(id.lastIndexOf('/') + 1).replace("-", "");
        return ("gantry-release-" + record.environment() + "-" + record.number() + "-"
                + tail.substring(0, Math.min(8, tail.length()))).replaceAll("[^a-zA-Z0-9_.-]", "-");
    }

    private static List<Container> containers(DockerClient docker, LaunchRecord record, boolean all) {
        return docker.listContainersCmd().withShowAll(all).withLabelFilter(Map.of(RELEASE, record.releaseId()))
                .exec();
    }

    private static void removeAll(DockerClient docker, LaunchRecord record) {
        try {
            for (Container found : containers(docker, record, true)) {
                try {
                    docker.removeContainerCmd(found.getId()).withForce(true).exec();
                } catch (RuntimeException e) {
                    // gone already
                }
            }
        } catch (RuntimeException e) {
            // the host cannot be reached: nothing to remove from here
        }
    }

    /** Where a port of the host's network is reached from this machine. */
    static String address(URI url) {
        String h = url.getHost();
        if (url.getScheme().equals("unix") || h == null || h.equals("localhost") || h.startsWith("127.")) {
            return "127.0.0.1";
        }
        return h;
    }

    private DockerHost connection(LaunchRecord.Container c) throws IOException {
        DockerHostSpec spec = hosts.stream().filter(h -> h.name().equals(c.host())
                && h.url().toString().equals(c.hostUrl())).findFirst()
                .orElseGet(() -> new DockerHostSpec(c.host(), URI.create(c.hostUrl()), Map.of(),
                        c.tls() == null ? null : Path.of(c.tls()), c.sshConfig() == null ? null : Path.of(c.sshConfig()),
                        true));
        return connection(spec);
    }

    private DockerHost connection(DockerHostSpec spec) throws IOException {
        String key = spec.url() + "|" + spec.tls() + "|" + spec.sshConfig();
        DockerHost open = connections.get(key);
        if (open == null) {
            synchronized (connections) {
                open = connections.get(key);
                if (open == null) {
                    open = DockerHost.connect(spec);
                    connections.put(key, open);
                }
            }
        }
        return open;
    }
}
