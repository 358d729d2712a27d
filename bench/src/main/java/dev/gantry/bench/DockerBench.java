package dev.gantry.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.gantry.core.pipeline.Defaults;
import dev.gantry.core.pipeline.ImageRef;
import dev.gantry.docker.DockerExecutor;
import dev.gantry.docker.host.DockerHostSpec;
import dev.gantry.docker.host.DockerHosts;
import dev.gantry.docker.host.Labels;
import dev.gantry.engine.exec.ProcessSpec;
import dev.gantry.engine.exec.StepProcess;
import dev.gantry.engine.exec.TaskExecutor;
import dev.gantry.engine.exec.TaskSetup;
import dev.gantry.engine.pool.Allocation;
import dev.gantry.engine.workspace.Directories;
import dev.gantry.engine.workspace.SourceTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What Gantry's Docker executor adds on the local Docker engine, against the bare API and CLI in the same run:
 * per step, N steps run in one task container against {@code docker exec} of the same command into the same
 * container; per task, a task container started (network, container, working copy) and removed against
 * {@code docker run --rm}.
 *
 * <p>Usage: {@code bench/docker/run [rounds] [steps] [starts] [image]} (default 5 rounds of 100 steps and 10 task
 * starts each, image {@code gantry-example/base:1}, else {@code gantry-dev/base:1}). Everything it creates carries
 * a label of the run and is removed at the end, also when interrupted.
 */
public final class DockerBench {

    static final List<String> IMAGES = List.of("gantry-example/base:1", "gantry-dev/base:1");

    /** What a {@code run: "true"} step executes, on both sides of the per-step comparison. */
    static final List<String> STEP;

    static {
        List<String> step = new ArrayList<>(Defaults.SHELL);
        step.add("true");
        STEP = List.copyOf(step);
    }

    private final DockerExecutor gantry;
    private final DockerBare bare;
    private final String run;
    private final String instance;
    private final String image;
    private final boolean cli;
    private int serial;
    /** Milliseconds spent in forTask, prepareWorkingCopy and discardWorkingCopy (with close) by measured starts. */
    private final double[] phases = new double[3];

    private DockerBench(DockerExecutor gantry, DockerBare bare, String run, String instance, String image,
                        boolean cli) {
        this.gantry = gantry;
        this.bare = bare;
        this.run = run;
        this.instance = instance;
        this.image = image;
        this.cli = cli;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int starts = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        String run = Long.toString(ProcessHandle.current().pid()) + "-" + UUID.randomUUID().toString().substring(0, 6);
        String instance = "bench-docker-" + run;
        Path dir = Files.createTempDirectory("gantry-bench-docker");
        Files.createDirectories(dir.resolve("source"));
        Files.writeString(dir.resolve("source/gantry.yml"), "name: bench-docker\n");
        DockerHosts hosts = DockerHosts.open(instance, List.of(DockerHostSpec.local(Map.of("gpu", 0), System.getenv())),
                System.out::println);
        DockerClient docker = hosts.all().get(0).client();
        DockerBare.sweepDead(docker, Labels.INSTANCE, "bench-docker-");
        DockerBare.sweepDead(docker, DockerBare.LABEL, "");
        Runnable cleanup = () -> {
            DockerBare.sweep(docker, Labels.INSTANCE, instance);
            DockerBare.sweep(docker, DockerBare.LABEL, run);
        };
        Thread hook = new Thread(cleanup, "bench-docker-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        int exit = 0;
        try {
            String image = image(docker, args.length > 3 ? args[3] : null);
            String network = DockerBare.workingNetworkMode(docker, image, run);
            boolean cli = DockerBare.hasCli();
            DockerExecutor executor = DockerExecutor.create(hosts, SourceTree.scan(dir.resolve("source")),
                    dir.resolve("build"), List.of());
            DockerBench bench = new DockerBench(executor, new DockerBare(docker, image, run, network), run, instance,
                    image, cli);
            System.out.printf("docker bench: image %s, %d rounds of %d steps and %d task starts; bare docker run on %s;"
                    + " docker CLI %s%n", image, rounds, steps, starts,
                    network == null ? "the default bridge" : "--network=" + network + " (the default bridge does"
                            + " not work on this engine)", cli ? "measured too" : "not found, skipped");
            bench.steps(rounds, steps);
            bench.starts(rounds, starts);
        } catch (IllegalArgumentException e) {
            System.err.println("bench/docker: " + e.getMessage());
            exit = 2;
        } finally {
            cleanup.run();
            Runtime.getRuntime().removeShutdownHook(hook);
            int containers = DockerBare.containers(docker, Labels.INSTANCE, instance).size()
                    + DockerBare.containers(docker, DockerBare.LABEL, run).size();
            int networks = DockerBare.networks(docker, Labels.INSTANCE, instance).size()
                    + DockerBare.networks(docker, DockerBare.LABEL, run).size();
            System.out.printf("left behind on the engine: %d containers, %d networks%n", containers, networks);
            hosts.close();
            Directories.deleteTree(dir);
            if (containers + networks > 0) {
                exit = 1;
            }
        }
        if (exit != 0) {
            System.exit(exit);
        }
    }

    /** The image given, or the first of {@link #IMAGES} the engine has. */
    static String image(DockerClient docker, String given) {
        for (String candidate : given != null ? List.of(given) : IMAGES) {
            try {
                docker.inspectImageCmd(candidate).exec();
                return candidate;
            } catch (NotFoundException e) {
                // next
            }
        }
        throw new IllegalArgumentException(given != null
                ? "image " + given + " is not on the local docker engine"
                : "neither " + String.join(" nor ", IMAGES) + " is on the local docker engine; build "
                + IMAGES.get(0) + " with examples/images/build");
    }

    /** Part 1: steps in one task container, against bare exec into the same container. */
    private void steps(int rounds, int n) throws Exception {
        TaskExecutor task = gantry.forTask(setup("steps"));
        try {
            Path copy = task.prepareWorkingCopy("steps", 1);
            String container = taskContainer("steps");
            step(task, copy, 5);
            for (int i = 0; i < 5; i++) {
                bare.exec(container, STEP);
                if (cli) {
                    DockerBare.cliExec(container, STEP);
                }
            }
            double[] api = new double[rounds];
            double[] g = new double[rounds];
            double[] cl = new double[rounds];
            System.out.printf("%nper step: %d x `%s` in one task container, %d rounds%n", n, String.join(" ", STEP),
                    rounds);
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    bare.exec(container, STEP);
                }
                api[r] = ms(t0) / n;
                t0 = System.nanoTime();
                step(task, copy, n);
                g[r] = ms(t0) / n;
                if (cli) {
                    t0 = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        DockerBare.cliExec(container, STEP);
                    }
                    cl[r] = ms(t0) / n;
                }
                System.out.printf("round %d: docker exec (API) %.2f ms, gantry step %.2f ms%s%n", r + 1, api[r], g[r],
                        cli ? String.format(", docker exec (CLI) %.2f ms", cl[r]) : "");
            }
            report("ms per step", "docker exec (API)", Stats.median(api), "gantry step", Stats.median(g),
                    cli ? Stats.median(cl) : Double.NaN, "docker exec (CLI)");
            task.discardWorkingCopy(copy);
        } finally {
            task.close();
        }
    }

    /** Part 2: a task container started and removed, against {@code docker run --rm}. */
    private void starts(int rounds, int n) throws Exception {
        gantryStart();
        bare.run(List.of("true"));
        bare.runOnOwnNetwork(List.of("true"));
        if (cli) {
            bare.cliRun(List.of("true"));
        }
        double[] api = new double[rounds];
        double[] own = new double[rounds];
        double[] g = new double[rounds];
        double[] cl = new double[rounds];
        Arrays.fill(phases, 0);
        System.out.printf("%ntask start: %d starts per round, %d rounds%n", n, rounds);
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                bare.run(List.of("true"));
            }
            api[r] = ms(t0) / n;
            t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                bare.runOnOwnNetwork(List.of("true"));
            }
            own[r] = ms(t0) / n;
            t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                gantryStart();
            }
            g[r] = ms(t0) / n;
            if (cli) {
                t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    bare.cliRun(List.of("true"));
                }
                cl[r] = ms(t0) / n;
            }
            System.out.printf("round %d: docker run (API) %.1f ms, same on its own network %.1f ms, gantry task %.1f ms"
                    + "%s%n", r + 1, api[r], own[r], g[r], cli ? String.format(", docker run --rm (CLI) %.1f ms", cl[r]) : "");
        }
        report("ms per task start", "docker run (API: create, start, wait, remove)", Stats.median(api),
                "gantry task (forTask, prepareWorkingCopy, discardWorkingCopy)", Stats.median(g),
                cli ? Stats.median(cl) : Double.NaN, "docker run --rm (CLI)");
        double o = Stats.median(own);
        System.out.printf("  against docker run (API) with a network of its own, %.1f ms: gantry %.2fx, adds %.1f ms%n",
                o, Stats.median(g) / o, Stats.median(g) - o);
        System.out.printf("  gantry's start, mean over all rounds: forTask %.1f ms, prepareWorkingCopy %.1f ms,"
                + " discardWorkingCopy %.1f ms%n", phases[0] / (rounds * n), phases[1] / (rounds * n),
                phases[2] / (rounds * n));
    }

    /** Runs {@code n} steps through Gantry the way the engine's run step does: start, read the output, wait. */
    private void step(TaskExecutor task, Path copy, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            String id = UUID.randomUUID().toString();
            StepProcess p = task.start(new ProcessSpec(STEP, Map.of("GANTRY_STEP_ID", id, "GANTRY_BUILD_ID", run,
                    "GANTRY_TASK", "steps"), copy, "GANTRY_STEP_ID=" + id));
            p.output().readAllBytes();
            int exit = p.waitFor();
            if (exit != 0) {
                throw new IllegalStateException("the gantry step exited with " + exit);
            }
        }
    }

    /** One task through Gantry from nothing to gone: its container and network made, started, stopped, removed. */
    private void gantryStart() throws Exception {
        String key = "start" + (++serial);
        long t0 = System.nanoTime();
        TaskExecutor task = gantry.forTask(setup(key));
        long t1 = System.nanoTime();
        long t2 = t1;
        try {
            Path copy = task.prepareWorkingCopy(key, 1);
            t2 = System.nanoTime();
            task.discardWorkingCopy(copy);
        } finally {
            task.close();
        }
        phases[0] += (t1 - t0) / 1e6;
        phases[1] += (t2 - t1) / 1e6;
        phases[2] += ms(t2);
    }

    /** The id of the container Gantry made for task {@code key}, found by its labels. */
    private String taskContainer(String key) {
        var found = bare.docker().listContainersCmd().withLabelFilter(Map.of(Labels.INSTANCE, instance,
                Labels.TASK, key)).exec();
        if (found.size() != 1) {
            throw new IllegalStateException(found.size() + " containers for task " + key + ", expected 1");
        }
        return found.get(0).getId();
    }

    private TaskSetup setup(String key) {
        return new TaskSetup(setupId(key), run, key, new ImageRef(image, ImageRef.Pull.NEVER, null, null, null),
                new Allocation("docker", Map.of()), null, "TERM", Duration.ofSeconds(10), List.of(), ref -> null);
    }

    private String setupId(String key) {
        return "bench-" + run + "." + key;
    }

    private static void report(String unit, String baseName, double base, String gantryName, double g, double cli,
                               String cliName) {
        System.out.printf("median %s: %s %.2f, %s %.2f%n", unit, baseName, base, gantryName, g);
        System.out.printf("  gantry adds %.2f ms (ratio %.2fx the bare API)%n", g - base, g / base);
        if (!Double.isNaN(cli)) {
            System.out.printf("  %s %.2f ms: gantry %.2fx, adds %.2f ms%n", cliName, cli, g / cli, g - cli);
        }
    }

    private static double ms(long start) {
        return (System.nanoTime() - start) / 1e6;
    }
}
