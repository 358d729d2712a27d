package dev.gantry.server.api;

import dev.gantry.engine.run.TaskKeys;
import dev.gantry.server.layout.BuildDirectories;
import dev.gantry.server.build.BuildQueue;
import dev.gantry.server.http.ApiException;
import dev.gantry.server.http.BuildLookup;
import dev.gantry.server.trends.FlakyTests;
import dev.gantry.server.trends.History;
import dev.gantry.server.http.BuildSteps;
import dev.gantry.server.http.PipelineView;
import dev.gantry.server.pipeline.PipelineService;
import dev.gantry.record.LogHub;
import dev.gantry.server.trigger.Poller;
import dev.gantry.store.BatchRow;
import dev.gantry.store.BuildRow;
import dev.gantry.store.PipelineRow;
import dev.gantry.store.ResultRows;
import dev.gantry.store.StepRow;
import dev.gantry.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON API under {@code /api}, documented in {@code docs/api.md}. */
public final class ApiRoutes {

    static final int MAX_PAGE = 500;
    static final int MAX_LOG_LINES = 10_000;

    private final Store store;
    private final BuildQueue builds;
    private final PipelineService pipelines;
    private final Poller poller;
    private final LogHub logs;
    private final BuildLookup lookup;
    private final Path dataDir;

    public ApiRoutes(Store store, BuildQueue builds, PipelineService pipelines, Poller poller, LogHub logs,
                     Path dataDir) {
        this.store = store;
        this.builds = builds;
        this.pipelines = pipelines;
        this.poller = poller;
        this.logs = logs;
        this.lookup = new BuildLookup(store);
        this.dataDir = dataDir;
    }

    /**
     * A build with each task's steps and its batch steps' progress or figures, whether it is pinned, and when
     * retention removed its logs, artifacts and telemetry (null while they are kept).
     */
    public record BuildView(BuildRow build, Map<String, List<StepRow>> steps, List<BatchRow> batches, boolean pinned,
                            java.time.Instant prunedAt) {
    }

    public void register(Javalin app) {
        app.get("/api/pipelines", ctx -> ctx.json(store.pipelines().list().stream()
                .map(p -> PipelineView.of(store, p)).toList()));
        app.post("/api/pipelines", ctx -> {
            PipelineService.Registration r = ctx.bodyAsClass(PipelineService.Registration.class);
            ctx.status(201).json(PipelineView.of(store, pipelines.add(r)));
        });
        app.get("/api/pipelines/{pipeline}", ctx -> ctx.json(PipelineView.of(store, lookup.pipeline(ctx))));
        app.delete("/api/pipelines/{pipeline}", ctx -> {
            store.pipelines().delete(lookup.pipeline(ctx).name());
            ctx.status(204);
        });
        app.post("/api/pipelines/{pipeline}/check", ctx -> {
            poller.checkSoon(lookup.pipeline(ctx).name(), "manual");
            ctx.status(202).json(Map.of("message", "checking"));
        });
        app.post("/api/pipelines/{pipeline}/builds",
                ctx -> ctx.status(201).json(pipelines.trigger(lookup.pipeline(ctx))));
        app.get("/api/pipelines/{pipeline}/flaky", this::flaky);
        app.get("/api/builds", this::listBuilds);
        app.get("/api/pipelines/{pipeline}/builds", this::listBuilds);
        app.get("/api/pipelines/{pipeline}/builds/{number}", ctx -> ctx.json(buildView(lookup.build(ctx))));
        app.post("/api/pipelines/{pipeline}/builds/{number}/cancel", ctx -> {
            BuildRow b = lookup.build(ctx);
            // an ended build's thread may still be leaving the queue's running set: its record decides
            if (b.hasEnded() || !builds.cancel(b)) {
                throw new ApiException(409, "build " + b.pipeline() + " #" + b.number() + " has already ended ("
                        + b.status() + ")");
            }
            ctx.status(202).json(Map.of("message", "cancelling"));
        });
        app.put("/api/pipelines/{pipeline}/builds/{number}/pin", ctx -> pin(ctx, true));
        app.delete("/api/pipelines/{pipeline}/builds/{number}/pin", ctx -> pin(ctx, false));
        app.post("/api/pipelines/{pipeline}/builds/{number}/rebuild",
                ctx -> ctx.status(201).json(builds.rebuild(lookup.build(ctx))));
        app.get("/api/pipelines/{pipeline}/builds/{number}/logs/{task}", this::logLines);
        app.get("/api/pipelines/{pipeline}/builds/{number}/logs/{task}/raw", this::rawLog);
        app.get("/api/pipelines/{pipeline}/builds/{number}/tests",
                ctx -> ctx.json(store.results().tests(lookup.build(ctx).id())));
        app.get("/api/pipelines/{pipeline}/builds/{number}/telemetry",
                ctx -> ctx.json(store.results().telemetry(lookup.build(ctx).id())));
        app.get("/api/pipelines/{pipeline}/builds/{number}/caches",
                ctx -> ctx.json(store.results().caches(lookup.build(ctx).id())));
        app.get("/api/pipelines/{pipeline}/builds/{number}/artifacts",
                ctx -> ctx.json(store.results().artifacts(lookup.build(ctx).id())));
        app.get("/api/pipelines/{pipeline}/builds/{number}/artifacts/{task}/{name}/<path>", this::download);
    }

    private BuildView buildView(BuildRow b) {
        var keeping = store.builds().keepingOf(b.id());
        return new BuildView(b, BuildSteps.of(store, b), store.batches().list(b.id()),
                keeping.map(dev.gantry.store.Keeping::pinned).orElse(false),
                keeping.map(dev.gantry.store.Keeping::prunedAt).orElse(null));
    }

    /** Pins or unpins a build: a pinned build's logs, artifacts and telemetry are never removed. */
    private void pin(Context ctx, boolean pinned) {
        BuildRow b = lookup.build(ctx);
        store.builds().pin(b.id(), pinned);
        ctx.json(buildView(b));
    }

    /** The pipeline's flaky tests over its last builds, the most recently seen first. */
    private void flaky(Context ctx) {
        String pipeline = lookup.pipeline(ctx).name();
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (FlakyTests.Flaky f : FlakyTests.of(History.load(store, pipeline, History.WINDOW)).tests()) {
            Map<String, Object> test = new LinkedHashMap<>();
            test.put("where", f.test().slot());
            test.put("class_name", f.test().className());
            test.put("name", f.test().name());
            test.put("last_seen", f.lastSeen());
            test.put("sightings", f.sightings().stream().map(s -> Map.of("how", s.how().label(), "failed_in",
                    s.failedIn(), "passed_in", s.passedIn())).toList());
            out.add(test);
        }
        ctx.json(Map.of("builds", History.WINDOW, "flaky", out));
    }

    private void listBuilds(Context ctx) {
        String pipeline = ctx.pathParamMap().containsKey("pipeline") ? lookup.pipeline(ctx).name()
                : ctx.queryParam("pipeline");
        String status = ctx.queryParam("status");
        int offset = BuildLookup.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = BuildLookup.intParam(ctx, "limit", 50, 1, MAX_PAGE);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("total", store.builds().count(pipeline, status));
        page.put("offset", offset);
        page.put("limit", limit);
        page.put("builds", store.builds().list(pipeline, status, offset, limit));
        ctx.json(page);
    }

    private void logLines(Context ctx) {
        BuildRow b = lookup.build(ctx);
        String task = lookup.task(ctx, b);
        int from = BuildLookup.intParam(ctx, "from", 0, 0, Integer.MAX_VALUE);
        int limit = BuildLookup.intParam(ctx, "limit", 1000, 1, MAX_LOG_LINES);
        List<dev.gantry.store.LogRepository.Line> timed = store.logs().timedLines(b.id(), task, from, limit);
        List<String> lines = timed.stream().map(dev.gantry.store.LogRepository.Line::text).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", from);
        body.put("lines", lines);
        body.put("times", timed.stream().map(l -> l.at() == null ? null : l.at().toEpochMilli()).toList());
        body.put("next", from + lines.size());
        body.put("stored", store.logs().lineCount(b.id(), task));
        body.put("running", builds.isRunning(b.id()) && !b.hasEnded());
        ctx.json(body);
    }

    /**
     * The task's whole log as stored so far, as plain text to download ({@code PIPELINE-N-TASK.log}), written page
     * by page so that a long log is never held whole in memory.
     */
    private void rawLog(Context ctx) throws IOException {
        BuildRow b = lookup.build(ctx);
        String task = lookup.task(ctx, b);
        ctx.contentType("text/plain; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"" + (b.pipeline() + "-" + b.number() + "-"
                + task).replaceAll("[^A-Za-z0-9._-]", "_") + ".log\"");
        java.io.OutputStream out = ctx.outputStream();
        for (int from = 0; ; ) {
            List<String> lines = store.logs().lines(b.id(), task, from, MAX_LOG_LINES);
            for (String line : lines) {
                out.write((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            if (lines.size() < MAX_LOG_LINES) {
                break;
            }
            from += lines.size();
        }
        out.flush();
    }

    private void download(Context ctx) throws IOException {
        BuildRow b = lookup.build(ctx);
        String task = ctx.pathParam("task");
        String name = ctx.pathParam("name");
        String path = ctx.pathParam("path");
        ResultRows.ArtifactRow artifact = store.results().artifacts(b.id()).stream()
                .filter(a -> a.task().equals(task) && a.name().equals(name) && a.path().equals(path)).findFirst()
                .orElseThrow(() -> ApiException.notFound("artifact " + name + "/" + path + " of " + task));
        Path root = BuildDirectories.of(dataDir, b).resolve("artifacts").resolve(TaskKeys.key(task))
                .resolve(name).normalize();
        Path file = root.resolve(artifact.path()).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            throw ApiException.notFound("artifact file " + path + " (removed from " + root + "?)");
        }
        ctx.contentType(contentType(file));
        ctx.header("Content-Disposition", "attachment; filename=\"" + file.getFileName().toString()
                .replace("\"", "") + "\"");
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(ctx.outputStream());
        }
    }

    private static String contentType(Path file) throws IOException {
        String type = Files.probeContentType(file);
        if (type == null && file.toString().endsWith(".wav")) {
            type = "audio/wav";
        }
        return type != null ? type : "application/octet-stream";
    }
}
