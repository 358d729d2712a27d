package dev.gantry.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The baselines of {@link DockerBench}: the same work done straight through docker-java's API (on the same client
 * and connection pool Gantry uses) and through the {@code docker} CLI, with nothing of Gantry's around it. Every
 * container and network made here carries {@link #LABEL}, so {@link #sweep} finds what an interrupted run left.
 */
final class DockerBare {

    /** The label on everything the baselines create; its value is the run's id. */
    static final String LABEL = "dev.gantry.bench";

    private final DockerClient docker;
    private final String image;
    private final String run;
    private final String networkMode;
    private int serial;

    /**
     * @param networkMode the network of a bare {@code docker run}: null for the engine's default bridge, or
     *                    {@code none} where that bridge does not work
     */
    DockerBare(DockerClient docker, String image, String run, String networkMode) {
        this.docker = docker;
        this.image = image;
        this.run = run;
        this.networkMode = networkMode;
    }

    DockerClient docker() {
        return docker;
    }

    /** {@code docker exec container command} through the API: create, start attached until its output ends, inspect. */
    void exec(String container, List<String> command) throws InterruptedException {
        String exec = docker.execCreateCmd(container).withCmd(command.toArray(String[]::new))
                .withAttachStdout(true).withAttachStderr(true).withAttachStdin(false).exec().getId();
        docker.execStartCmd(exec).withDetach(false).withTty(false)
                .exec(new ResultCallback.Adapter<Frame>()).awaitCompletion();
        for (int i = 0; i < 1000; i++) {
            InspectExecResponse r = docker.inspectExecCmd(exec).exec();
            if (!Boolean.TRUE.equals(r.isRunning()) && r.getExitCodeLong() != null) {
                check(r.getExitCodeLong().intValue(), "docker exec (API)");
                return;
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("docker exec (API): still running after its output ended");
    }

    /** {@code docker run --rm image command} through the API: create, start, wait, remove. */
    void run(List<String> command) throws InterruptedException {
        String id = docker.createContainerCmd(image).withName(name()).withLabels(Map.of(LABEL, run))
                .withCmd(command).withHostConfig(HostConfig.newHostConfig().withNetworkMode(networkMode))
                .exec().getId();
        try {
            docker.startContainerCmd(id).exec();
            check(docker.waitContainerCmd(id).exec(new WaitContainerResultCallback()).awaitStatusCode(),
                    "docker run (API)");
        } finally {
            docker.removeContainerCmd(id).withForce(true).exec();
        }
    }

    /** The same with a bridge network of its own, made before and removed after, as Gantry gives each task. */
    void runOnOwnNetwork(List<String> command) throws InterruptedException {
        String name = name();
        String network = docker.createNetworkCmd().withName(name).withDriver("bridge")
                .withLabels(Map.of(LABEL, run)).withCheckDuplicate(true).exec().getId();
        try {
            String id = docker.createContainerCmd(image).withName(name).withLabels(Map.of(LABEL, run))
                    .withCmd(command).withHostConfig(HostConfig.newHostConfig().withNetworkMode(name))
                    .exec().getId();
            try {
                docker.startContainerCmd(id).exec();
                check(docker.waitContainerCmd(id).exec(new WaitContainerResultCallback()).awaitStatusCode(),
                        "docker run on its own network (API)");
            } finally {
                docker.removeContainerCmd(id).withForce(true).exec();
            }
        } finally {
            docker.removeNetworkCmd(network).exec();
        }
    }

    /** {@code docker exec container command} with the CLI. */
    static void cliExec(String container, List<String> command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("docker", "exec", container));
        argv.addAll(command);
        cli(argv, "docker exec (CLI)");
    }

    /** {@code docker run --rm image command} with the CLI. */
    void cliRun(List<String> command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("docker", "run", "--rm", "--label", LABEL + "=" + run));
        if (networkMode != null) {
            argv.add("--network=" + networkMode);
        }
        argv.add(image);
        argv.addAll(command);
        cli(argv, "docker run --rm (CLI)");
    }

    /** Whether the {@code docker} CLI is on the PATH and reaches the engine. */
    static boolean hasCli() {
        try {
            Process p = new ProcessBuilder("docker", "version", "--format", "{{.Server.Version}}")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The network mode a bare {@code docker run} can use here: the default bridge when a container starts on it,
     * else {@code none} (an engine started without its bridge).
     */
    static String workingNetworkMode(DockerClient docker, String image, String run) {
        try {
            new DockerBare(docker, image, run, null).run(List.of("true"));
            return null;
        } catch (RuntimeException e) {
            return "none";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "none";
        }
    }

    /**
     * Removes every container and network with the label {@code key=value}; returns how many could not be removed
     * (each said on standard error).
     */
    static int sweep(DockerClient docker, String key, String value) {
        return sweep(docker, key, v -> v.equals(value));
    }

    /**
     * Removes what earlier runs of this benchmark left when they were killed: their labels' values start with
     * {@code prefix} and the pid of a process that is gone.
     */
    static int sweepDead(DockerClient docker, String key, String prefix) {
        return sweep(docker, key, v -> v.startsWith(prefix) && !alive(v.substring(prefix.length())));
    }

    private static int sweep(DockerClient docker, String key, Predicate<String> matches) {
        int failed = 0;
        for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(key)).exec()) {
            if (c.getLabels() != null && matches.test(c.getLabels().getOrDefault(key, ""))) {
                failed += remove(() -> docker.removeContainerCmd(c.getId()).withForce(true).exec(),
                        "container " + c.getId());
            }
        }
        for (Network net : docker.listNetworksCmd().withFilter("label", List.of(key)).exec()) {
            if (net.getLabels() != null && matches.test(net.getLabels().getOrDefault(key, ""))) {
                failed += remove(() -> docker.removeNetworkCmd(net.getId()).exec(), "network " + net.getName());
            }
        }
        return failed;
    }

    private static int remove(Runnable removal, String what) {
        for (int attempt = 1; ; attempt++) {
            try {
                removal.run();
                return 0;
            } catch (NotFoundException e) {
                return 0;
            } catch (RuntimeException e) {
                if (attempt == 3) {
                    System.err.println("bench/docker: cannot remove " + what + ": " + e.getMessage());
                    return 1;
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return 1;
                }
            }
        }
    }

    /** Whether the run id {@code pid-…} names a live process. */
    private static boolean alive(String run) {
        int dash = run.indexOf('-');
        try {
            long pid = Long.parseLong(dash < 0 ? run : run.substring(0, dash));
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    static List<Container> containers(DockerClient docker, String key, String value) {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(key, value)).exec();
    }

    static List<Network> networks(DockerClient docker, String key, String value) {
        return docker.listNetworksCmd().withFilter("label", List.of(key + "=" + value)).exec();
    }

    private String name() {
        return "gantry-bench-" + run + "-" + (++serial);
    }

    private static void cli(List<String> argv, String what) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        int exit = p.waitFor();
        if (exit != 0) {
            throw new IllegalStateException(what + " exited with " + exit + ": " + new String(out).strip());
        }
    }

    private static void check(int exit, String what) {
        if (exit != 0) {
            throw new IllegalStateException(what + " exited with " + exit);
        }
    }
}
