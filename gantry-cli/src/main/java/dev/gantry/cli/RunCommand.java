package dev.gantry.cli;

import dev.gantry.cli.console.ConsoleReporter;
import dev.gantry.cli.console.JsonReporter;
import dev.gantry.cli.console.Style;
import dev.gantry.cli.console.SummaryTable;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.plan.Plan;
import dev.gantry.core.plan.Planner;
import dev.gantry.core.plan.Revision;
import dev.gantry.core.secret.SecretReferences;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.deploy.Deployments;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.event.BuildListener;
import dev.gantry.engine.git.RevisionReader;
import dev.gantry.engine.local.LocalBuild;
import dev.gantry.engine.notify.Notifier;
import dev.gantry.engine.notify.NotifyListener;
import dev.gantry.engine.run.TaskRun;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.scheduler.BuildResult;
import dev.gantry.engine.scheduler.EngineSettings;
import dev.gantry.engine.secret.Secrets;
import dev.gantry.record.LogHub;
import dev.gantry.record.StorePreviousBuilds;
import dev.gantry.record.StoreRecorder;
import dev.gantry.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gantry run}: runs a pipeline (or some jobs and what they need) on this machine. */
@Command(name = "run", description = "Run a pipeline on this machine: exit 0 if everything succeeded, 1 if not, "
        + "2 for invalid input, 130 when cancelled.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    PipelineOptions pipeline;

    @picocli.CommandLine.Mixin
    ExecutorOptions executor = new ExecutorOptions();

    @Option(names = "--image", paramLabel = "IMAGE", description = "The image of jobs that name none, when the "
            + "pipeline has no defaults.image ('image: none' still runs a job locally); pulled only if missing.")
    String image;

    @Option(names = "--job", paramLabel = "JOB", description = "Run only this job and the jobs it needs. Repeatable.")
    List<String> jobs = new ArrayList<>();

    @Option(names = "--fail-fast", description = "Stop every task at the first failure.")
    boolean failFast;

    @Option(names = "--concurrency", paramLabel = "N", description = "Most tasks at once (default: CPU cores).")
    Integer concurrency;

    @Option(names = "--no-color", description = "Plain output even on a terminal.")
    boolean noColor;

    @Option(names = "--json", description = "Print machine-readable events, one JSON object per line.")
    boolean json;

    @Option(names = "--branch", description = "Build as this branch (default: the git branch checked out).")
    String branch;

    @Option(names = "--tag", description = "Build as this tag (default: a tag pointing at HEAD).")
    String tag;

    @Option(names = "--secret", paramLabel = "NAME=@FILE|NAME=env:VAR", description = "A secret the pipeline "
            + "references ({secret: NAME}), read from a file or an environment variable; masked in all output. "
            + "Repeatable.")
    List<String> secrets = new ArrayList<>();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final Main main;

    RunCommand(Main main) {
        this.main = main;
    }

    /** Set once the input is read: an I/O failure from then on is a failed run (1), not invalid input (2). */
    private boolean started;

    @Override
    public Integer call() throws Exception {
        try {
            return runPipeline();
        } catch (IOException | UncheckedIOException e) {
            if (!started) {
                throw e;
            }
            IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            main.err().println("gantry: the run failed: " + (cause.getMessage() != null ? cause.getMessage()
                    : cause.getClass().getSimpleName()));
            return ExitCodes.FAILED;
        }
    }

    private Integer runPipeline() throws Exception {
        Path file = pipeline.file();
        Map<String, Integer> pools = pipeline.offeredPools(main.env());
        java.util.List<dev.gantry.docker.host.DockerHostSpec> hosts = executor.hosts(pools, main.env());
        pools = executor.offered(pools, hosts);
        Pipeline p = pipeline.load(file, pools, fallbackImage());
        boolean docker = executor.docker(p);
        Map<String, String> secretValues;
        try {
            secretValues = LocalSecrets.read(secrets, main.env());
        } catch (LocalSecrets.Invalid e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        SecretReferences.requireKnown(p, secretValues.keySet(), "pass its value with --secret NAME=@FILE or"
                + " --secret NAME=env:VAR");
        Revision detected = RevisionReader.read(file.getParent());
        Revision revision = new Revision(detected.commit(), branch != null ? branch : detected.branch(),
                tag != null ? tag : detected.tag());
        Plan plan = new Planner().plan(p, revision, jobs);
        started = true;
        Path db = file.getParent().resolve(LocalBuild.STATE_DIR).resolve("db");
        java.nio.file.Files.createDirectories(db); // an unusable state directory is the run's failure, said plainly
        Path stateDir = file.getParent().resolve(LocalBuild.STATE_DIR);
        Path tools = ToolsDirectory.write(stateDir);
        try (Store store = Store.embedded(db);
             dev.gantry.engine.exec.ExecutorFactory executors = docker
                     ? ExecutorOptions.open(hosts, stateDir, tools, main.env(), main.err())
                     : dev.gantry.engine.exec.ExecutorFactory.LOCAL;
             dev.gantry.docker.release.ContainerReleases releases = ExecutorOptions.releases(hosts, main.env())) {
            return runWith(store, plan, file, pools, secretValues, tools, executors, releases);
        }
    }

    /** The image given with --image; null without one. */
    private dev.gantry.core.pipeline.ImageRef fallbackImage() {
        if (image == null) {
            return null;
        }
        dev.gantry.core.pipeline.ImageName.problem(image).ifPresent(problem -> {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--image " + image + ": " + problem);
        });
        return dev.gantry.core.pipeline.ImageRef.of(image);
    }

    private Integer runWith(Store store, Plan plan, Path file, Map<String, Integer> pools,
                            Map<String, String> secretValues, Path tools,
                            dev.gantry.engine.exec.ExecutorFactory executors,
                            dev.gantry.engine.deploy.ReleaseContainers releases) throws Exception {
        EngineSettings settings = new EngineSettings(
                concurrency != null ? concurrency : Runtime.getRuntime().availableProcessors(), failFast, main.env(),
                Clock.systemUTC()).withTools(tools).withExecutors(executors)
                .withSecrets(Secrets.of(secretValues))
                .withDeployments(new Deployments(LocalBuild.environmentsDirectory(file), store.releases(),
                        Clock.systemUTC(), main.env(), releases));
        LocalBuild build = LocalBuild.create(plan, file, pools, settings);

        Style style = new Style(!noColor && main.isTerminal() && !main.env().containsKey("NO_COLOR"));
        ConsoleReporter console = json ? null
                : new ConsoleReporter(main.out(), style, style.colour(), build::logFile);
        BuildListener listener = json ? new JsonReporter(main.out()) : console;
        List<BuildEvent.DeployFinished> deploys = new java.util.concurrent.CopyOnWriteArrayList<>();

        Cancellation cancel = Cancellation.root();
        BuildResult result;
        try (Notifier notifier = new Notifier(store.deliveries(), m -> main.err().println("gantry: warning: " + m));
             AutoCloseable signals = main.onInterrupt(sig ->
                cancel.cancel(Cancellation.Reason.CANCELLED, "cancelled by SIG" + sig));
             StoreRecorder recorder = new StoreRecorder(store,
                     new LogHub(store.logs(), m -> main.err().println("gantry: warning: " + m)), plan.jobsByTask(),
                     null, null)) {
            // after the recorder: build_failed/build_fixed compare with builds already in the store
            NotifyListener notify = new NotifyListener(plan.pipeline().notifications(), notifier,
                    ref -> secretValues.get(ref.name()), new StorePreviousBuilds(store.builds()), null);
            result = build.run(BuildListener.all(List.of(listener, recorder, notify, e -> {
                if (e instanceof BuildEvent.DeployFinished d) {
                    deploys.add(d);
                }
            })), cancel);
        }
        if (console != null) {
            console.close();
            SummaryTable.print(main.out(), style, build.info().number(), result, console.telemetry());
            List<String> artifacts = console.artifactLines();
            if (!artifacts.isEmpty()) {
                main.out().println("Artifacts:");
                artifacts.forEach(a -> main.out().println("  " + a));
            }
            List<String> batches = console.batchLines();
            if (!batches.isEmpty()) {
                main.out().println("Batches:");
                batches.forEach(b -> main.out().println("  " + b));
            }
            printFailedLogs(build, result);
            printUnmonitored(deploys, file, plan.pipeline().name(), settings.deployments());
        }
        return switch (result.state()) {
            case SUCCEEDED -> ExitCodes.OK;
            case CANCELLED -> ExitCodes.CANCELLED;
            default -> ExitCodes.FAILED;
        };
    }

    /** Says once that what a deploy left running is not watched: only the server supervises releases. */
    private void printUnmonitored(List<BuildEvent.DeployFinished> deploys, Path file, String pipelineName,
                                  Deployments deployments) {
        Path here = Path.of("").toAbsolutePath();
        Path named = file.getFileName().toString().equals("gantry.yml") ? file.toAbsolutePath().getParent()
                : file.toAbsolutePath();
        String where = named.equals(here) ? "" : " " + (named.startsWith(here) ? here.relativize(named) : named);
        for (BuildEvent.DeployFinished d : deploys) {
            if (d.serving() == null) {
                continue;
            }
            boolean container = deployments.history().find(pipelineName, d.environment(), d.serving())
                    .flatMap(deployments::record).map(r -> r.container() != null).orElse(false);
            main.out().println("Release " + d.serving() + " of " + d.environment() + " keeps running detached"
                    + (container ? " in its container (Docker restarts it if it crashes); nothing monitors it"
                    : "; nothing monitors or restarts it") + " under gantry run (gantry server does). See it with:"
                    + " gantry deploy status " + d.environment() + where);
        }
    }

    private void printFailedLogs(LocalBuild build, BuildResult result) {
        for (TaskRun t : result.tasks()) {
            if (t.state() == TaskState.FAILED || t.state() == TaskState.TIMED_OUT || t.state() == TaskState.ERRORED) {
                main.out().println("  " + t.name() + ": " + t.reason() + " — log: " + ConsoleReporter.display(build.logFile(t.name())));
            }
        }
    }
}
