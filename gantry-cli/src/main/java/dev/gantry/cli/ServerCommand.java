package dev.gantry.cli;

import dev.gantry.engine.local.LocalBuild;
import dev.gantry.engine.pool.PoolOffer;
import dev.gantry.engine.scheduler.EngineSettings;
import dev.gantry.server.GantryServer;
import dev.gantry.server.ServerLog;
import dev.gantry.server.ServerSettings;
import dev.gantry.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gantry server}: builds registered pipelines on new commits and tags; API, web UI, metrics. */
@Command(name = "server", description = "Run the server: builds of registered pipelines on new commits and tags, "
        + "a JSON API, a web UI with live logs, Prometheus metrics at /metrics. Stops on Ctrl-C.")
final class ServerCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    ExecutorOptions executor = new ExecutorOptions();

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Mirrors, builds, logs, artifacts and (unless "
            + "--database-url) the embedded database (default: .gantry, where gantry run records too).")
    Path dataDir = Path.of(LocalBuild.STATE_DIR);

    @Option(names = "--port", description = "Port to listen on (default 8080; 0 for any free port).")
    int port = 8080;

    @Option(names = "--bind", description = "Address to listen on (default 127.0.0.1).")
    String bind = "127.0.0.1";

    @Option(names = "--database-url", paramLabel = "JDBC_URL",
            description = "A PostgreSQL database, e.g. jdbc:postgresql://localhost:5432/gantry (default: embedded H2).")
    String databaseUrl;

    @Option(names = "--database-user", description = "Database user (or GANTRY_DATABASE_USER).")
    String databaseUser;

    @Option(names = "--max-builds", paramLabel = "N", description = "Most builds at once; others queue (default 2).")
    int maxBuilds = 2;

    @Option(names = "--concurrency", paramLabel = "N", description = "Most tasks at once per build (default: CPU cores).")
    Integer concurrency;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Require the token in FILE on every request "
            + "(API: 'Authorization: Bearer TOKEN'; browsers sign in at /login). Default: GANTRY_SERVER_TOKEN if set.")
    Path tokenFile;

    @Option(names = "--pool", paramLabel = "NAME=N", description = "Offer a counted pool to jobs' 'uses'; "
            + "--pool gpu=N replaces GPU detection. Repeatable.")
    Map<String, Integer> pools = new LinkedHashMap<>();

    @Option(names = "--log-format", paramLabel = "text|json", description = "The server's own log: readable text "
            + "(default), or one JSON object per line (time, level, message, and pipeline, build, task, environment "
            + "where they apply) for Loki or Elasticsearch.")
    String logFormat = "text";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--min-free", paramLabel = "5%|10g", description = "Free space the disk guard keeps on the data "
            + "directory's disk before each build (default 5%): below it, working copies left by crashes and the "
            + "least recently used caches are removed, and a build that still has no room is refused with the reason.")
    String minFree = "5%";

    @Option(names = "--keep-builds", paramLabel = "N", description = "Keep the logs, artifacts and telemetry of each "
            + "pipeline's newest N builds (a pipeline's 'retention: {builds}' overrides it); older ones lose them, "
            + "unless pinned or behind a live release. Records and tests stay. Default: all.")
    Integer keepBuilds;

    @Option(names = "--keep-days", paramLabel = "D", description = "Keep builds' logs, artifacts and telemetry for D "
            + "days (a pipeline's 'retention: {days}' overrides it). With --keep-builds, a build goes only past both. "
            + "Default: forever.")
    Integer keepDays;

    private final Main main;

    ServerCommand(Main main) {
        this.main = main;
    }

    private ServerLog.Format format() {
        return switch (logFormat) {
            case "text" -> ServerLog.Format.TEXT;
            case "json" -> ServerLog.Format.JSON;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--log-format "
                    + logFormat + ": expected text or json");
        };
    }

    private void atLeastOne(String option, Integer n) {
        if (n != null && n < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), option + " " + n
                    + ": expected at least 1 (leave it out to keep everything)");
        }
    }

    /** The token from --token-file (its first line) or GANTRY_SERVER_TOKEN; null for none. */
    private String token() throws java.io.IOException {
        String token = tokenFile != null ? Files.readAllLines(tokenFile).stream().findFirst().orElse("").trim()
                : main.env().get("GANTRY_SERVER_TOKEN");
        if (tokenFile != null && token.isEmpty()) {
            throw new java.io.IOException("the token file " + tokenFile + " is empty");
        }
        return token == null || token.isBlank() ? null : token;
    }

    @Override
    public Integer call() throws Exception {
        ServerLog.Format format = format(); // bad values stop here, before anything starts
        dev.gantry.server.disk.MinFree keepFree = dev.gantry.server.disk.MinFree.parse(minFree).orElseThrow(() ->
                new picocli.CommandLine.ParameterException(spec.commandLine(), "--min-free " + minFree
                        + ": expected a share of the disk (5%) or a size (10g, 512m)"));
        atLeastOne("--keep-builds", keepBuilds);
        atLeastOne("--keep-days", keepDays);
        Path data = dataDir.toAbsolutePath().normalize();
        if (!bind.equals("127.0.0.1") && !bind.equals("localhost") && token() == null) {
            main.err().println("gantry: warning: listening on " + bind + " without a token: anyone who reaches it can"
                    + " trigger builds (see --token-file)");
        }
        Files.createDirectories(data);
        String secretKey = main.env().get("GANTRY_SECRET_KEY");
        dev.gantry.store.SecretCipher.load(data, secretKey); // a bad key stops here, with its reason
        java.util.Map<String, String> stepEnv = new java.util.HashMap<>(main.env());
        // steps must never see the key that opens every secret, nor the server's own credentials
        List.of("GANTRY_SECRET_KEY", "GANTRY_SERVER_TOKEN", "GANTRY_DATABASE_PASSWORD").forEach(stepEnv::remove);
        java.nio.file.Path tools = ToolsDirectory.write(data);
        java.util.Map<String, Integer> offered = PoolOffer.local(pools, main.env());
        EngineSettings engine = new EngineSettings(concurrency != null ? concurrency
                : Runtime.getRuntime().availableProcessors(), false, stepEnv, Clock.systemUTC())
                .withTools(tools);
        java.util.List<dev.gantry.docker.host.DockerHostSpec> hosts = executor.hosts(offered, main.env());
        dev.gantry.docker.release.ContainerReleases releases = ExecutorOptions.releases(hosts, stepEnv);
        if (executor.docker(null)) {
            offered = executor.offered(offered, hosts);
            engine = engine.withExecutors(ExecutorOptions.open(hosts, data, tools, stepEnv, main.err()));
            main.out().println("docker hosts: " + hosts.stream().map(h -> h.name() + " " + h.url() + " "
                    + h.pools()).collect(java.util.stream.Collectors.joining(", ")));
        }
        ServerSettings settings = new ServerSettings(data, bind, port, maxBuilds, offered,
                engine, ServerSettings.CHECK_EVERY).withToken(token()).withSecretKey(secretKey)
                .withReleaseContainers(releases).withMinFree(keepFree)
                .withKeep(new dev.gantry.core.pipeline.Retention(keepBuilds, keepDays));
        String password = main.env().get("GANTRY_DATABASE_PASSWORD");
        String user = databaseUser != null ? databaseUser : main.env().get("GANTRY_DATABASE_USER");
        CountDownLatch stop = new CountDownLatch(1);
        try (Store store = databaseUrl != null ? Store.open(databaseUrl, user, password)
                : Store.embedded(data.resolve("db"));
             AutoCloseable executors = settings.engine().executors(); // after the server: its builds use them
             AutoCloseable closeReleases = releases;
             GantryServer server = GantryServer.start(store, settings, new ServerLog(main.out(), Clock.systemUTC(), format));
             AutoCloseable signals = main.onInterrupt(sig -> stop.countDown())) {
            stop.await();
            main.out().println("stopping: running builds are cancelled, queued ones stay queued");
        } catch (GantryServer.StartException e) {
            main.err().println("gantry: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }
}
