package dev.gantry.server.ui;

import dev.gantry.core.load.PipelineLoader;
import dev.gantry.core.load.StepTypes;
import dev.gantry.core.notify.DeliveryLog;
import dev.gantry.core.pipeline.Problems;
import dev.gantry.server.deploy.DeployActions;
import dev.gantry.server.deploy.DeployLookup;
import dev.gantry.server.deploy.Environments;
import dev.gantry.server.git.GitMirror;
import dev.gantry.server.git.Mirrors;
import dev.gantry.server.http.BuildLookup;
import dev.gantry.server.http.BuildSteps;
import dev.gantry.server.http.PipelineView;
import dev.gantry.server.live.LogStream;
import dev.gantry.server.trends.FinalResults;
import dev.gantry.server.trends.FlakyTests;
import dev.gantry.server.trends.History;
import dev.gantry.server.trends.TestKey;
import dev.gantry.server.trigger.Checker;
import dev.gantry.store.BuildRow;
import dev.gantry.store.PipelineRow;
import dev.gantry.store.ResultRows;
import dev.gantry.store.StepRow;
import dev.gantry.store.Store;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The web UI: server-rendered pages (JTE), htmx refreshing a running build's parts, and a live log view fed by
 * {@link LogStream} over server-sent events.
 */
public final class UiRoutes {

    static final int PAGE = History.WINDOW;
    static final int LOG_TAIL = 2000;

    private final Store store;
    private final Mirrors mirrors;
    private final Checker checker;
    private final LogStream logs;
    private final BuildLookup lookup;
    private final Path dataDir;
    private final Map<String, Map<String, List<String>>> needsCache = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Map<String, List<String>>> eldest) {
                    return size() > 256;
                }
            });
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
    private final EnvironmentPages environmentPages;
    private final TrendsCache trends;

    public UiRoutes(Store store, Mirrors mirrors, Checker checker, LogStream logs, Path dataDir,
                    Environments environments, DeliveryLog deliveries, DeployActions actions) {
        this.store = store;
        this.environmentPages = new EnvironmentPages(new DeployLookup(store, environments), environments, deliveries,
                actions, this::render);
        this.mirrors = mirrors;
        this.checker = checker;
        this.logs = logs;
        this.lookup = new BuildLookup(store);
        this.dataDir = dataDir;
        this.trends = new TrendsCache(store, dataDir);
    }

    public void register(Javalin app) {
        app.get("/", ctx -> {
            Map<String, String> errors = new HashMap<>();
            List<PipelineView> views = new ArrayList<>();
            for (PipelineRow p : store.pipelines().list()) {
                views.add(PipelineView.of(store, p));
                Checker.Status s = checker.status(p.name());
                if (s != null && s.error() != null) {
                    errors.put(p.name(), s.error());
                }
            }
            render(ctx, "pipelines.jte", new Views.PipelinesPage(views, errors));
        });
        app.get("/pipelines/{pipeline}", this::pipelinePage);
        app.get("/pipelines/{pipeline}/builds/{number}", ctx -> render(ctx, "build.jte", buildPage(lookup.build(ctx))));
        app.post("/pipelines/{pipeline}/builds/{number}/pin", ctx -> {
            BuildRow b = lookup.build(ctx);
            store.builds().pin(b.id(), !"false".equals(ctx.formParam("pinned")));
            ctx.redirect("/pipelines/" + Html.segment(b.pipeline()) + "/builds/" + b.number(),
                    io.javalin.http.HttpStatus.SEE_OTHER);
        });
        app.get("/pipelines/{pipeline}/builds/{number}/live", ctx ->
                render(ctx, "build-live.jte", buildPage(lookup.build(ctx))));
        app.get("/pipelines/{pipeline}/builds/{number}/tasks/{task}", ctx -> {
            BuildRow b = lookup.build(ctx);
            String task = lookup.task(ctx, b);
            long stored = store.logs().lineCount(b.id(), task);
            String status = b.tasks().stream().filter(t -> t.name().equals(task)).findFirst().orElseThrow().status();
            render(ctx, "log.jte", new Views.LogPage(b, task, status, Math.max(0, stored - LOG_TAIL), stored));
        });
        app.sse("/pipelines/{pipeline}/builds/{number}/tasks/{task}/stream", client -> {
            Context ctx = client.ctx();
            BuildRow b = lookup.build(ctx);
            String task = lookup.task(ctx, b);
            String last = ctx.header("Last-Event-ID");
            long from = last != null ? parse(last) : parse(ctx.queryParam("from"));
            logs.stream(client, b, task, from);
        });
        environmentPages.register(app);
    }

    private void pipelinePage(Context ctx) {
        String name = ctx.pathParam("pipeline");
        PipelineRow p = store.pipelines().find(name).orElse(null);
        int offset = BuildLookup.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        long total = store.builds().count(name, null);
        if (p == null && total == 0) {
            throw dev.gantry.server.http.ApiException.notFound("pipeline '" + name + "'");
        }
        String repository = p == null ? "(builds of gantry run)" : GitMirror.display(p.repository());
        List<BuildRow> builds = store.builds().list(name, null, offset, PAGE);
        // the first page holds the builds the trends look at (PAGE == History.WINDOW): read once
        List<BuildRow> newest = offset == 0 ? builds : store.builds().list(name, null, 0, History.WINDOW);
        render(ctx, "pipeline.jte", new Views.PipelinePage(name, repository,
                p == null ? "" : p.branch(), builds, total, offset, PAGE, trends.of(name, newest)));
    }

    Views.BuildPage buildPage(BuildRow b) {
        Map<String, List<StepRow>> steps = BuildSteps.of(store, b);
        List<ResultRows.TestRow> tests = store.results().tests(b.id());
        List<Views.ShardTime> shards = ShardTimes.of(b, tests, dataDir);
        return new Views.BuildPage(b, Dag.svg(b, needs(b)), steps, tests.stream().limit(20).toList(), tests.size(),
                FinalResults.of(tests).stream().filter(TestKey::failed).count(), shards,
                Charts.all(store.results().telemetry(b.id())), store.results().artifacts(b.id()),
                store.results().caches(b.id()), Batches.of(store.batches().list(b.id())),
                store.builds().keepingOf(b.id()).orElse(null), flakyIn(b));
    }

    /**
     * The tests flaky in the build: failed then passed on a retry within it, or between it and another build of
     * the same commit among the pipeline's last {@link History#WINDOW} builds.
     */
    private Map<TestKey, String> flakyIn(BuildRow b) {
        List<BuildRow> sameCommit = store.builds().list(b.pipeline(), null, 0, History.WINDOW).stream()
                .filter(o -> b.commit() != null && b.commit().equals(o.commit())).toList();
        List<BuildRow> builds = new ArrayList<>(sameCommit.isEmpty() ? List.of(b) : sameCommit);
        java.util.Collections.reverse(builds);
        History history = new History(builds, store.results().tests(builds.stream().map(BuildRow::id).toList()));
        Map<TestKey, String> out = new LinkedHashMap<>();
        FlakyTests.of(history).in(b.number()).forEach((test, how) -> out.put(test, how.label()));
        return out;
    }

    /** Each job's needs, from the pipeline file at the build's commit (known only for registered pipelines). */
    private Map<String, List<String>> needs(BuildRow b) {
        if (b.commit() == null) {
            return Map.of();
        }
        return needsCache.computeIfAbsent(b.pipeline() + "@" + b.commit(), k -> store.pipelines().find(b.pipeline())
                .map(p -> {
                    try {
                        byte[] yaml = mirrors.of(p).read(b.commit(), p.file()).orElse(null);
                        if (yaml == null) {
                            return Map.<String, List<String>>of();
                        }
                        Map<String, List<String>> needs = new HashMap<>();
                        new PipelineLoader(StepTypes.standard()).parse(p.file(), yaml, new Problems())
                                .ifPresent(pl -> pl.jobs().values().forEach(j -> needs.put(j.name(), j.needNames())));
                        return needs;
                    } catch (Exception e) {
                        return Map.<String, List<String>>of();
                    }
                }).orElse(Map.of()));
    }

    private void render(Context ctx, String template, Object page) {
        StringOutput out = new StringOutput();
        templates.render(template, page, out);
        ctx.contentType("text/html; charset=utf-8").result(out.toString());
    }

    private static long parse(String s) {
        try {
            return s == null ? 0 : Math.max(0, Long.parseLong(s.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
