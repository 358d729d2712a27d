package dev.gantry.cli;

import dev.gantry.core.pipeline.JobDef;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.docker.DockerExecutor;
import dev.gantry.docker.container.ContainerTask;
import dev.gantry.docker.host.DockerHostSpec;
import dev.gantry.docker.host.DockerHosts;
import dev.gantry.docker.release.ContainerReleases;
import dev.gantry.engine.exec.ExecutorFactory;
import dev.gantry.engine.workspace.VolumeLocks;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where tasks run: {@code --executor local|docker} and {@code --docker-host NAME=URL[;POOL=N...]}. Without
 * {@code --executor}, a pipeline in which some job names an image runs on Docker, any other locally.
 */
final class ExecutorOptions {

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec command;

    @Option(names = "--executor", paramLabel = "local|docker", description = "Run tasks as local processes, or "
            + "jobs that name an image in containers on Docker (default: docker when some job names an image).")
    String executor;

    @Option(names = "--docker-host", paramLabel = "NAME=URL[;POOL=N...]", description = "A Docker engine to run "
            + "containers on, with the pools it offers: unix:///var/run/docker.sock, tcp://HOST:2376 (with "
            + ";tls=DIR), ssh://USER@HOST (with ;ssh_config=FILE); ;files=shared|copy says whether it sees "
            + "Gantry's files (default: shared for unix://, copied for tcp:// and ssh://); "
            + "e.g. gpu1=tcp://10.0.0.5:2376;gpu=2. "
            + "Repeatable. Default: DOCKER_HOST, else the local socket, offering --pool.")
    List<String> dockerHosts = new ArrayList<>();

    /** Whether tasks of {@code pipeline} go to Docker (null for the server, which decides by its hosts). */
    boolean docker(Pipeline pipeline) {
        if (executor != null) {
            return switch (executor) {
                case "docker" -> true;
                case "local" -> false;
                default -> throw new picocli.CommandLine.ParameterException(command.commandLine(),
                        "--executor " + executor + ": expected local or docker");
            };
        }
        return !dockerHosts.isEmpty() || (pipeline != null && pipeline.jobs().values().stream()
                .map(JobDef::image).anyMatch(java.util.Objects::nonNull));
    }

    /**
     * Where the releases of deploys whose service names an image run, whatever {@code --executor} says (a release
     * is not a task): the {@code --docker-host}s, else the local engine; nothing is connected until one is needed.
     */
    static ContainerReleases releases(List<DockerHostSpec> hosts, Map<String, String> env) {
        return new ContainerReleases(hosts, VolumeLocks.root(env));
    }

    /** The hosts named with --docker-host, else the local engine offering {@code localPools}. */
    List<DockerHostSpec> hosts(Map<String, Integer> localPools, Map<String, String> env) {
        if (dockerHosts.isEmpty()) {
            return List.of(DockerHostSpec.local(localPools, env));
        }
        List<DockerHostSpec> specs = new ArrayList<>();
        for (String h : dockerHosts) {
            try {
                specs.add(DockerHostSpec.parse(h));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(command.commandLine(), "--docker-host "
                        + e.getMessage());
            }
        }
        return specs;
    }

    /**
     * What jobs' {@code uses} are checked against: with --docker-host, each pool's largest size on one host;
     * otherwise {@code localPools}.
     */
    Map<String, Integer> offered(Map<String, Integer> localPools, List<DockerHostSpec> hosts) {
        if (dockerHosts.isEmpty()) {
            return localPools;
        }
        Map<String, Integer> offered = new LinkedHashMap<>();
        hosts.forEach(h -> h.pools().forEach((k, v) -> offered.merge(k, v, Math::max)));
        return offered;
    }

    /**
     * Opens the hosts (removing this instance's leftovers from a crash) and returns the factory of builds'
     * executors; containers mount the volumes' root, the tools directory and Gantry's own JVM and class path.
     */
    static ExecutorFactory open(List<DockerHostSpec> specs, Path stateDir, Path tools, Map<String, String> env,
                                PrintStream err) throws IOException {
        DockerHosts hosts = DockerHosts.open(instance(stateDir), specs, line -> err.println("gantry: " + line));
        if (hosts.placement().downHosts().size() == specs.size()) {
            String why = String.join("; ", hosts.placement().downHosts().values());
            hosts.close();
            throw new IOException("no Docker engine can be reached (" + specs.get(0).url() + ": " + why
                    + "): start Docker, name a reachable one with --docker-host, or run with --executor local");
        }
        List<ContainerTask.Mount> shared = new ArrayList<>();
        Path volumes = VolumeLocks.root(env);
        Files.createDirectories(volumes);
        shared.add(new ContainerTask.Mount(volumes.toAbsolutePath(), false));
        if (tools != null) {
            shared.add(new ContainerTask.Mount(tools.toAbsolutePath(), true));
        }
        jvm(shared);
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath();
            if (Files.exists(p)) {
                shared.add(new ContainerTask.Mount(p, true));
            }
        }
        return DockerExecutor.factory(hosts, shared);
    }

    /**
     * Gantry's JVM at its own path, and what its links point to outside it (Debian links {@code lib/jvm.cfg} and
     * the CA certificates into {@code /etc}), so that the {@code gantry} launcher runs inside any glibc image.
     */
    private static void jvm(List<ContainerTask.Mount> shared) throws IOException {
        Path home = Path.of(System.getProperty("java.home")).toAbsolutePath();
        shared.add(new ContainerTask.Mount(home, true));
        Path real = home.toRealPath();
        try (var walk = Files.walk(home, 6)) {
            for (Path link : walk.filter(Files::isSymbolicLink).toList()) {
                try {
                    Path target = link.toRealPath();
                    if (!target.startsWith(real) && !target.startsWith(home)) {
                        shared.add(new ContainerTask.Mount(target, true));
                    }
                } catch (IOException e) {
                    // a dangling link: the JVM does without it here too
                }
            }
        }
    }

    /** A stable name for this Gantry's state directory, for its containers' labels. */
    private static String instance(Path stateDir) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(stateDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
