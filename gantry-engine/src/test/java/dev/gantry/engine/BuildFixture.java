package dev.gantry.engine;

import dev.gantry.core.load.PipelineLoader;
import dev.gantry.core.load.StepTypes;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.pipeline.Problems;
import dev.gantry.core.plan.Plan;
import dev.gantry.core.plan.Planner;
import dev.gantry.core.plan.Revision;
import dev.gantry.core.validate.PipelineValidator;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.git.RevisionReader;
import dev.gantry.engine.local.LocalBuild;
import dev.gantry.engine.run.TaskRun;
import dev.gantry.engine.scheduler.BuildResult;
import dev.gantry.engine.scheduler.EngineSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Runs a pipeline written in a test through the real loader, planner and local engine, recording every event. */
public final class BuildFixture {

    private final Path dir;
    private final Map<String, Integer> pools = new HashMap<>(Map.of("gpu", 0));
    private EngineSettings settings = new EngineSettings(4, false, System.getenv(), Clock.systemUTC());
    private final Cancellation cancel = Cancellation.root();
    private final List<BuildEvent> events = new CopyOnWriteArrayList<>();
    private LocalBuild build;
    private dev.gantry.engine.event.BuildListener also = e -> { };

    public BuildFixture(Path dir) {
        this.dir = dir;
    }

    public BuildFixture pool(String name, int capacity) {
        pools.put(name, capacity);
        return this;
    }

    public BuildFixture settings(EngineSettings s) {
        settings = s;
        return this;
    }

    public BuildFixture concurrency(int n) {
        settings = settings.withConcurrency(n);
        return this;
    }

    public BuildFixture failFast() {
        settings = settings.withFailFast(true);
        return this;
    }

    /** Also passes every event to {@code listener}, after recording it (a gate, a failing listener). */
    public BuildFixture listener(dev.gantry.engine.event.BuildListener listener) {
        also = listener;
        return this;
    }

    public Cancellation cancellation() {
        return cancel;
    }

    public List<BuildEvent> events() {
        return events;
    }

    public LocalBuild build() {
        return build;
    }

    public Path dir() {
        return dir;
    }

    /** Writes {@code gantry.yml} into the fixture's directory, runs it to the end and returns the result. */
    public Result run(String yaml, String... jobs) {
        try {
            Path file = dir.resolve("gantry.yml");
            Files.writeString(file, yaml);
            Problems problems = new Problems();
            Pipeline p = new PipelineLoader(StepTypes.standard()).parse("gantry.yml", Files.readAllBytes(file),
                    problems).orElse(null);
            if (p != null) {
                new PipelineValidator(pools).validate(p, problems);
            }
            problems.throwIfAny();
            Revision rev = RevisionReader.read(dir);
            Plan plan = new Planner().plan(p, rev, List.of(jobs));
            build = LocalBuild.create(plan, file, pools, settings);
            BuildResult r = build.run(e -> {
                events.add(e);
                also.on(e);
            }, cancel);
            return new Result(r, new ArrayList<>(events), build);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A finished build with the events it reported. */
    public record Result(BuildResult result, List<BuildEvent> events, LocalBuild build) {

        public TaskRun task(String name) {
            return result.tasks().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
        }

        /** The output lines of one task, in order. */
        public List<String> output(String task) {
            return events.stream().filter(e -> e instanceof BuildEvent.LogLine l && l.task().equals(task))
                    .map(e -> ((BuildEvent.LogLine) e).line()).toList();
        }

        public List<String> steps(String task) {
            return events.stream().filter(e -> e instanceof BuildEvent.StepStarted s && s.task().equals(task))
                    .map(e -> ((BuildEvent.StepStarted) e).step()).toList();
        }
    }
}
