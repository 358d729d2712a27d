package dev.gantry.server;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.gantry.core.load.Suggestions;
import dev.gantry.engine.deploy.Deployments;
import dev.gantry.engine.notify.Notifier;
import dev.gantry.engine.serial.SerialGates;
import dev.gantry.server.api.ApiRoutes;
import dev.gantry.server.api.DeployRoutes;
import dev.gantry.server.api.NotificationRoutes;
import dev.gantry.server.api.SecretRoutes;
import dev.gantry.server.api.WebhookRoutes;
import dev.gantry.server.build.BuildQueue;
import dev.gantry.server.build.Recovery;
import dev.gantry.server.deploy.DeployActions;
import dev.gantry.server.deploy.DeployLookup;
import dev.gantry.server.deploy.EngineReleases;
import dev.gantry.server.deploy.Environments;
import dev.gantry.server.deploy.Health;
import dev.gantry.server.deploy.HealthBoard;
import dev.gantry.server.deploy.NotifierAlerts;
import dev.gantry.server.deploy.ReleaseDirectories;
import dev.gantry.server.deploy.Supervisor;
import dev.gantry.server.git.Mirrors;
import dev.gantry.server.http.ApiException;
import dev.gantry.server.http.BadJson;
import dev.gantry.server.http.InternalErrors;
import dev.gantry.server.http.Json;
import dev.gantry.server.http.TokenAuth;
import dev.gantry.server.live.LogStream;
import dev.gantry.server.metrics.ServerMetrics;
import dev.gantry.server.pipeline.PipelineService;
import dev.gantry.record.LogHub;
import dev.gantry.server.trigger.Checker;
import dev.gantry.server.trigger.Poller;
import dev.gantry.server.ui.UiRoutes;
import dev.gantry.store.SecretCipher;
import dev.gantry.store.SecretVault;
import dev.gantry.store.Store;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code gantry server}: registered pipelines built on new commits and tags, the same engine as {@code gantry run},
 * history in the store, a JSON API, a web UI with live logs, Prometheus metrics; the live release of every
 * environment supervised and monitored.
 */
public final class GantryServer implements AutoCloseable {

    /** How long a rollback, deploy or stop request waits for its outcome before answering that it goes on. */
    static final Duration ACTION_WAIT = Duration.ofSeconds(5);

    private final Store store;
    private final ServerLog log;
    private final LogHub logs;
    private final BuildQueue builds;
    /** Sends every notification of this server: builds' and deploys' (through the queue) and monitors'. */
    private final Notifier notifier;
    private final Poller poller;
    private final LogStream stream;
    private final AutoCloseable flusher;
    private final Supervisor supervisor;
    private final DeployActions actions;
    /** Sweeps every pipeline's retention hourly (limits in days pass while no build runs). */
    private final java.util.concurrent.ScheduledExecutorService upkeep =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Threads.daemon("gantry-retention"));
    private final Javalin app;

    private GantryServer(Store store, ServerSettings given, ServerLog log) {
        this.store = store;
        this.log = log;
        Clock clock = given.engine().clock();
        Deployments deployments = new Deployments(given.dataDir().resolve("environments"), store.releases(), clock,
                given.engine().baseEnv(), given.releaseContainers());
        ServerSettings settings = given.withEngine(given.engine().withDeployments(deployments));
        ServerMetrics metrics = new ServerMetrics();
        Mirrors mirrors = new Mirrors(settings.dataDir().resolve("repos"));
        this.logs = new LogHub(store.logs(), log::warn);
        this.flusher = logs.flushEvery(Duration.ofMillis(250));
        SecretVault secrets = secretVault(store, settings);
        this.notifier = new Notifier(metrics.counting(store.deliveries()), log::warn);
        this.builds = new BuildQueue(store, secrets, logs, mirrors, settings, new SerialGates(), metrics, log,
                notifier);
        Checker checker = new Checker(store, mirrors, builds, metrics, log, settings.engine().clock());
        this.poller = new Poller(store, checker, settings.engine().clock(), log);
        PipelineService pipelines = new PipelineService(store, mirrors, poller, builds, settings);
        this.stream = new LogStream(store, logs);
        ApiRoutes api = new ApiRoutes(store, builds, pipelines, poller, logs, settings.dataDir());
        HealthBoard health = new HealthBoard();
        Environments environments = new Environments(store.releases(), health,
                new ReleaseDirectories(deployments.root()));
        this.supervisor = new Supervisor(store.releases(), new EngineReleases(deployments, log::info), health,
                new NotifierAlerts(notifier, secrets, clock), log, clock, Supervisor.Settings.STANDARD);
        this.actions = new DeployActions(deployments, store.releases(), log, ACTION_WAIT);
        storeGauges(metrics, store);
        environmentGauges(metrics, store, environments, health);
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(Json.mapper(), false));
            config.staticFiles.add(s -> {
                s.hostedPath = "/static";
                s.directory = "/static";
                s.location = Location.CLASSPATH;
            });
            config.staticFiles.enableWebjars();
        });
        app.before(ctx -> ctx.attribute("gantry.start", System.nanoTime()));
        dev.gantry.server.http.CrossSiteGuard.register(app);
        if (settings.token() != null) {
            new TokenAuth(settings.token()).register(app);
        }
        app.after(ctx -> {
            Long start = ctx.attribute("gantry.start");
            String route = ctx.endpointHandlerPath();
            if (start != null && !route.equals("/metrics")) {
                metrics.request(route, ctx.statusCode(), Duration.ofNanos(System.nanoTime() - start));
            }
        });
        app.exception(ApiException.class, (e, ctx) -> ctx.status(e.status()).json(Map.of("message", e.getMessage())));
        app.exception(UnrecognizedPropertyException.class, (e, ctx) -> {
            List<String> known = e.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
            ctx.status(400).json(Map.of("message", "unknown key '" + e.getPropertyName() + "'"
                    + Suggestions.hint(e.getPropertyName(), known) + "; the keys are " + String.join(", ", known)));
        });
        app.exception(com.fasterxml.jackson.core.JacksonException.class, (e, ctx) ->
                ctx.status(400).json(Map.of("message", BadJson.message(e))));
        app.exception(io.javalin.http.BadRequestResponse.class, (e, ctx) ->
                ctx.status(400).json(Map.of("message", e.getMessage())));
        app.exception(Exception.class, (e, ctx) -> {
            String id = InternalErrors.newId();
            log.warn("internal error " + id + " on " + ctx.method() + " " + ctx.path() + ": "
                    + InternalErrors.describe(e));
            ctx.status(500).json(Map.of("message", "internal error " + id + ": the server's log has the details"));
        });
        app.error(404, ctx -> {
            String type = ctx.res().getContentType();
            if (ctx.path().startsWith("/api/") && (type == null || !type.startsWith("application/json"))) {
                ctx.json(Map.of("message", "no such endpoint: " + ctx.method() + " " + ctx.path()));
            }
        });
        app.get("/healthz", ctx -> ctx.result("ok"));
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
        api.register(app);
        new WebhookRoutes(store, poller, metrics, log, settings.engine().clock()).register(app);
        new SecretRoutes(store, secrets, settings.engine().clock()).register(app);
        new DeployRoutes(environments, new DeployLookup(store, environments), actions).register(app);
        new NotificationRoutes(store.deliveries()).register(app);
        new UiRoutes(store, mirrors, checker, stream, settings.dataDir(), environments, store.deliveries(), actions)
                .register(app);
        // what a previous server left, read before this one can queue anything (a build queued once the port is
        // open must not be settled as a leftover, nor queued twice); settled only once the port is ours
        List<dev.gantry.store.BuildRow> leftovers = store.builds().unfinished();
        listen(settings);
        Recovery.settle(leftovers, store, settings.dataDir(), settings.engine().clock(), log)
                .forEach(builds::requeue);
        poller.start();
        supervisor.start();
        upkeep.scheduleWithFixedDelay(builds.retention()::sweepAll, 0, 1, java.util.concurrent.TimeUnit.HOURS);
        log.info("gantry server listening on http://" + settings.bind() + ":" + app.port() + "/ (data in "
                + settings.dataDir() + ")");
    }

    /** The secrets, sealed with the key given or kept in the data directory; a bad key stops the start. */
    private static SecretVault secretVault(Store store, ServerSettings settings) {
        try {
            return new SecretVault(store.secrets(), SecretCipher.load(settings.dataDir(), settings.secretKey()));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Binds the port before anything runs: a server that cannot listen starts no build and leaves no thread behind.
     */
    private void listen(ServerSettings settings) {
        try {
            app.start(settings.bind(), settings.port());
        } catch (RuntimeException e) {
            close();
            throw new StartException("cannot listen on " + settings.bind() + ":" + settings.port() + ": "
                    + (e.getCause() instanceof java.net.BindException b ? b.getMessage() : e.getMessage())
                    + " (choose another port with --port)", e);
        }
    }

    /** The server could not start; nothing it started is left running. */
    public static final class StartException extends RuntimeException {
        StartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Starts a server on {@code store}; close it to stop. */
    public static GantryServer start(Store store, ServerSettings settings, ServerLog log) {
        return new GantryServer(store, settings, log);
    }

    public int port() {
        return app.port();
    }

    public Store store() {
        return store;
    }

    @Override
    public void close() {
        upkeep.shutdownNow();
        supervisor.close();
        actions.close();
        poller.close();
        builds.close();
        notifier.close();
        stream.close();
        app.stop();
        try {
            flusher.close();
        } catch (Exception e) {
            log.warn("could not write the last log lines: " + e);
        }
    }

    /** The database pool's connections, by state, and its limit. */
    private static void storeGauges(ServerMetrics metrics, Store store) {
        metrics.gauge("gantry.db.connections", "Connections of the store's pool, by state",
                io.micrometer.core.instrument.Tags.of("state", "active"), () -> store.poolStats().active());
        metrics.gauge("gantry.db.connections", "Connections of the store's pool, by state",
                io.micrometer.core.instrument.Tags.of("state", "idle"), () -> store.poolStats().idle());
        metrics.gauge("gantry.db.connections.waiting", "Threads waiting for a connection of the store's pool",
                () -> store.poolStats().waiting());
        metrics.gauge("gantry.db.connections.max", "Size limit of the store's pool", () -> store.poolStats().max());
    }

    /**
     * Each environment's live release number, and its health by the supervisor's latest monitor result (1 healthy,
     * 0 not; no series without a monitor result).
     */
    private static void environmentGauges(ServerMetrics metrics, Store store, Environments environments,
                                          HealthBoard health) {
        metrics.gauges("gantry.environment.live.release", "The live release of each environment", null, () -> {
            java.util.Map<io.micrometer.core.instrument.Tags, Number> rows = new java.util.LinkedHashMap<>();
            liveReleases(store, environments).forEach(r -> rows.put(environmentTags(r), r.number()));
            return rows;
        });
        metrics.gauges("gantry.environment.healthy", "Whether each environment's live release passes its"
                + " monitor (1) or not (0)", null, () -> {
            java.util.Map<io.micrometer.core.instrument.Tags, Number> rows = new java.util.LinkedHashMap<>();
            liveReleases(store, environments).forEach(r -> health.of(r.pipeline(), r.environment(), r.number())
                    .ifPresent(h -> rows.put(environmentTags(r), Health.PASSING.equals(h.state()) ? 1 : 0)));
            return rows;
        });
    }

    private static java.util.List<dev.gantry.core.deploy.Release> liveReleases(Store store, Environments environments) {
        java.util.List<dev.gantry.core.deploy.Release> live = new java.util.ArrayList<>();
        for (var p : store.pipelines().list()) {
            for (String env : environments.names(p.name())) {
                store.releases().live(p.name(), env).ifPresent(live::add);
            }
        }
        return live;
    }

    private static io.micrometer.core.instrument.Tags environmentTags(dev.gantry.core.deploy.Release r) {
        return io.micrometer.core.instrument.Tags.of("pipeline", r.pipeline(), "environment", r.environment());
    }
}
