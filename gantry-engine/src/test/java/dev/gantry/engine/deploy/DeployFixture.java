package dev.gantry.engine.deploy;

import dev.gantry.core.pipeline.Restart;
import dev.gantry.core.load.PipelineLoader;
import dev.gantry.core.load.StepTypes;
import dev.gantry.core.pipeline.DeployDef;
import dev.gantry.core.pipeline.DeployStep;
import dev.gantry.core.pipeline.EnvironmentDef;
import dev.gantry.core.pipeline.JobDef;
import dev.gantry.core.pipeline.Location;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.pipeline.ProbeDef;
import dev.gantry.core.pipeline.Problems;
import dev.gantry.core.pipeline.RunStep;
import dev.gantry.core.pipeline.ServiceDef;
import dev.gantry.core.pipeline.StepDef;
import dev.gantry.core.pipeline.WhenDef;
import dev.gantry.core.plan.Plan;
import dev.gantry.core.plan.Planner;
import dev.gantry.core.plan.Revision;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.event.BuildListener;
import dev.gantry.engine.local.LocalBuild;
import dev.gantry.engine.scheduler.BuildResult;
import dev.gantry.engine.scheduler.EngineSettings;
import dev.gantry.engine.service.PortAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Deploys {@link DeployedService} releases from a pipeline in a temp directory through the real engine, with a
 * deploy definition built by hand, and stops every process a test left behind (by marker) when closed.
 */
final class DeployFixture implements AutoCloseable {

    static final String ENV = "staging";

    final Path dir;
    final String pipeline = "deploy-test-" + UUID.randomUUID().toString().substring(0, 8);
    final MemoryReleaseHistory history = new MemoryReleaseHistory();
    final Deployments deployments;
    final int stablePort = PortAllocator.allocate();
    final List<BuildEvent> events = new CopyOnWriteArrayList<>();
    /** The gate's one step. */
    String gate = "curl -sf \"$GANTRY_RELEASE_URL/tts\" | tee /dev/stderr | grep -qx speech";
    Duration gateTimeout = Duration.ofMinutes(2);
    /** The build's secrets (masked in what it reports). */
    Map<String, String> secrets = Map.of();
    /** The release's command instead of a {@link DeployedService}, or null. */
    String command;
    /** Sees each event of a deploy with that build's cancellation (to cancel it mid-deploy). */
    java.util.function.BiConsumer<BuildEvent, Cancellation> onEvent = (e, c) -> { };

    DeployFixture(Path dir) {
        this.dir = dir;
        this.deployments = new Deployments(dir.resolve(".gantry/environments"), history, Clock.systemUTC(),
                System.getenv());
    }

    /** One build whose deploy job makes a release answering {@code /tts} with speech ({@code good}) or silence. */
    BuildResult deploy(String mode, DeployDef.Strategy strategy, DeployDef.Rollback rollback) throws IOException {
        Files.createDirectories(dir.resolve("release"));
        Files.writeString(dir.resolve("release/mode.txt"), mode + "\n");
        Path file = dir.resolve("gantry.yml");
        Files.writeString(file, """
                env:
                  JAVA: "%s"
                  CP: "%s"
                defaults: {grace_period: 5s}
                jobs:
                  deploy:
                    volumes: {models: .models}
                    steps:
                      - run: echo building
                """.formatted(Path.of(System.getProperty("java.home"), "bin", "java"),
                System.getProperty("java.class.path")));
        Pipeline parsed = new PipelineLoader(StepTypes.standard()).parse("gantry.yml", Files.readAllBytes(file),
                new Problems()).orElseThrow();
        JobDef j = parsed.jobs().get("deploy");
        List<StepDef> steps = new ArrayList<>(j.steps());
        steps.add(new DeployStep("deploy", def(strategy, rollback)));
        JobDef job = new JobDef(j.name(), j.location(), j.needs(), steps, j.env(), j.timeout(), j.retry(),
                j.parallelism(), j.matrix(), j.when(), j.uses(), j.limits(), j.volumes(), j.services(), j.serial(),
                j.onSuccess(), j.onFailure(), j.ensure(), j.image());
        Map<String, JobDef> jobs = new LinkedHashMap<>(parsed.jobs());
        jobs.put("deploy", job);
        Pipeline p = new Pipeline(pipeline, parsed.file(), parsed.digest(), parsed.env(), parsed.defaults(), jobs,
                Map.of(ENV, new EnvironmentDef(ENV, loc(), WhenDef.ALWAYS, 3, null)), List.of(), null);
        Plan plan = new Planner().plan(p, new Revision("abc123", "main", null), List.of());
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.put("GANTRY_VOLUMES_DIR", dir.resolve("volumes").toString());
        Files.createDirectories(dir.resolve("volumes/models"));
        Files.writeString(dir.resolve("volumes/models/weights.bin"), "weights");
        EngineSettings settings = new EngineSettings(2, false, env, Clock.systemUTC()).withDeployments(deployments)
                .withSecrets(dev.gantry.engine.secret.Secrets.of(secrets));
        LocalBuild build = LocalBuild.create(plan, file, Map.of("gpu", 0), settings);
        List<BuildEvent> mine = new CopyOnWriteArrayList<>();
        Cancellation cancel = Cancellation.root();
        BuildResult r = build.run(BuildListener.all(List.of(events::add, mine::add, e -> onEvent.accept(e, cancel))),
                cancel);
        lastOutput = mine.stream().filter(e -> e instanceof BuildEvent.LogLine).map(e -> ((BuildEvent.LogLine) e)
                .line()).toList();
        return r;
    }

    volatile List<String> lastOutput = List.of();

    private DeployDef def(DeployDef.Strategy strategy, DeployDef.Rollback rollback) {
        ProbeDef ready = new ProbeDef(ProbeDef.Kind.HTTP, new ProbeDef.HttpCheck("/health/ready", "GET", null, 200,
                299, Map.of()), 0, null, null, Duration.ZERO, ProbeDef.PERIOD, ProbeDef.TIMEOUT, 1, 3,
                Duration.ofSeconds(60));
        ServiceDef service = new ServiceDef("release", loc(), command != null ? command : "$JAVA -cp $CP "
                + DeployedService.class.getName() + " --port {{ port }} --name r$GANTRY_RELEASE_NUMBER --mode $(cat"
                + " {{ release_dir }}/release/mode.txt)",
                Map.of(), null, List.of(), ready, null, "TERM", Duration.ofSeconds(5), null, null);
        StepDef check = new RunStep("inference check", gate, Map.of(), null, null, null, loc(),
                "jobs.deploy.deploy.gate[0]");
        return new DeployDef(loc(), "jobs.deploy.deploy", ENV, loc(), new DeployDef.Release(List.of("release"),
                List.of("models")), service, stablePort, Restart.STANDARD, strategy, List.of(check),
                gateTimeout, rollback, null);
    }

    private static Location loc() {
        return new Location("gantry.yml", 1, 1);
    }

    /** GET {@code path} on the stable port over a connection of its own; the body, or an exception. */
    String get(String path) throws IOException {
        return get(stablePort, path);
    }

    static String get(int port, String path) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!response.startsWith("HTTP/1.1 200") && !response.startsWith("HTTP/1.0 200")) {
                throw new IOException("not 200: " + response.lines().findFirst().orElse("(empty)"));
            }
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    /** The processes of this fixture's releases and proxies still running. */
    List<Long> detached() throws IOException {
        List<String> prefixes = List.of(LaunchRecord.MARKER_KEY + "=" + pipeline + "/",
                "GANTRY_PROXY_ID=" + pipeline + "/");
        List<Long> found = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(Path.of("/proc"))) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String stat = Files.readString(d.resolve("stat"));
                    if (stat.substring(stat.lastIndexOf(')') + 2).charAt(0) == 'Z') {
                        continue;
                    }
                    String env = new String(Files.readAllBytes(d.resolve("environ")), StandardCharsets.UTF_8);
                    for (String entry : env.split("\0")) {
                        if (prefixes.stream().anyMatch(entry::startsWith)) {
                            found.add(Long.parseLong(d.getFileName().toString()));
                            break;
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // gone, or not ours to read
                }
            }
        }
        return found;
    }

    /** Stops what a test left running, by marker. */
    @Override
    public void close() throws IOException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (List<Long> left = detached(); !left.isEmpty() && System.nanoTime() < end; left = detached()) {
            left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            ReleaseProcesses.sleep(50);
        }
    }
}
