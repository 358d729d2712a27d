package dev.gantry.engine.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.batch.BatchSpec;
import dev.gantry.core.pipeline.BatchStep;
import dev.gantry.core.pipeline.JobDef;
import dev.gantry.core.pipeline.Location;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.pipeline.SecretRef;
import dev.gantry.engine.batch.LoopbackService.Answer;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.event.BuildInfo;
import dev.gantry.engine.exec.Executor;
import dev.gantry.engine.run.Outcome;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.secret.SecretMasker;
import dev.gantry.engine.service.ServiceHandle;
import dev.gantry.engine.step.StepContext;
import dev.gantry.engine.workspace.Workspaces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code batch} step as a build runs it: its paths, its target, its events, its log and its outcome. */
class BatchStepRunnerTest {

    @TempDir
    Path work;

    private static final Location HERE = new Location("gantry.yml", 12, 7);

    private static BatchStep step(BatchSpec spec, String service, String url) {
        return new BatchStep("render", spec, service, service == null ? null : HERE, url, HERE, "jobs.a.steps[0]");
    }

    private static BatchSpec spec(String input, String output) {
        return new BatchSpec(input, BatchFixture.TEMPLATE, BatchSpec.DEFAULT_ID, output, 4, 2, Duration.ofSeconds(5),
                BatchSpec.Flush.STANDARD, false);
    }

    @Test
    void isTheStandardRunnerOfTheBatchType() {
        assertThat(dev.gantry.engine.deploy.DeployRunner.standard(null).get(BatchStep.TYPE)).isInstanceOf(BatchStepRunner.class);
    }

    @Test
    void rendersThroughTheJobsServiceAndSucceedsWithItsErrorsRecorded() throws Exception {
        BatchFixture.writeInput(work, List.of(BatchFixture.line("one"), BatchFixture.line("two"), "oops",
                BatchFixture.line("refused")));
        try (LoopbackService service = new LoopbackService((id, attempt, body) -> id.equals("refused")
                ? new Answer(400, "text/plain", "no".getBytes())
                : new Answer(200, "audio/wav", LoopbackService.rendered(id)))) {
            Context ctx = new Context(work, Map.of("tts", new Healthy("tts", service.base().toString())));
            Outcome outcome = new BatchStepRunner().run(step(spec("in.jsonl", "out/ch1"), "tts", null), ctx);
            assertThat(outcome).isEqualTo(Outcome.SUCCESS);
            assertThat(ctx.events).last().isInstanceOfSatisfying(BuildEvent.BatchFinished.class, f -> {
                assertThat(f.output()).isEqualTo("out/ch1");
                assertThat(f.failure()).isNull();
                assertThat(f.step()).isEqualTo("render");
                assertThat(f.figures().succeeded()).isEqualTo(2);
                assertThat(f.figures().failed()).isEqualTo(2);
                assertThat(f.latencies().count()).isEqualTo(2);
            });
            assertThat(ctx.events).filteredOn(e -> e instanceof BuildEvent.BatchProgress).isNotEmpty();
            assertThat(ctx.lines).anySatisfy(l -> assertThat(l).startsWith("batch: 2 succeeded, 2 failed"))
                    .anySatisfy(l -> assertThat(l).startsWith("batch latency: p50 "))
                    .contains("batch results: out/ch1/results.jsonl; 2 errors in out/ch1/errors.jsonl");
            assertThat(work.resolve("out/ch1/one.wav")).exists();
        }
    }

    @Test
    void refusesPathsOutsideTheWorkingDirectoryAndUnknownServices() {
        Context ctx = new Context(work, Map.of("tts", new Healthy("tts", "http://127.0.0.1:1")));
        Outcome escape = new BatchStepRunner().run(step(spec("in.jsonl", "../elsewhere"), "tts", null), ctx);
        assertThat(escape.state()).isEqualTo(TaskState.ERRORED);
        assertThat(escape.reason()).contains("output '../elsewhere' lies outside the working directory");

        Outcome missing = new BatchStepRunner().run(step(spec("in.jsonl", "out"), "asr", null), ctx);
        assertThat(missing.state()).isEqualTo(TaskState.ERRORED);
        assertThat(missing.reason()).contains("no service 'asr'").contains("tts");
    }

    @Test
    void aBatchThatCannotFinishFailsAndATimeoutReadsTimedOut() throws Exception {
        Context ctx = new Context(work, Map.of());
        Outcome noInput = new BatchStepRunner().run(step(spec("missing.jsonl", "out"), null, "http://127.0.0.1:1"),
                ctx);
        assertThat(noInput.state()).isEqualTo(TaskState.FAILED);
        assertThat(noInput.reason()).contains("cannot read the input missing.jsonl");

        BatchFixture.writeInput(work, List.of(BatchFixture.line("a")));
        ctx.cancellation.cancel(Cancellation.Reason.TIMED_OUT, "timed out after 1m");
        Outcome timedOut = new BatchStepRunner().run(step(spec("in.jsonl", "out"), null, "http://127.0.0.1:1"), ctx);
        assertThat(timedOut.state()).isEqualTo(TaskState.TIMED_OUT);
        assertThat(ctx.events).last().isInstanceOfSatisfying(BuildEvent.BatchFinished.class,
                f -> assertThat(f.failure()).isEqualTo("timed out after 1m"));
    }

    /** A service that is always healthy. */
    private record Healthy(String name, String url) implements ServiceHandle {

        @Override
        public long outages() {
            return 0;
        }

        @Override
        public boolean healthy() {
            return true;
        }

        @Override
        public boolean awaitHealthy(Cancellation cancellation) {
            return !cancellation.isCancelled();
        }

        @Override
        public String gone() {
            return null;
        }
    }

    /** Just what a batch step uses of its context; the rest is not for it. */
    private static final class Context implements StepContext {

        final Path dir;
        final Map<String, ServiceHandle> services;
        final Cancellation cancellation = Cancellation.root();
        final List<BuildEvent> events = new CopyOnWriteArrayList<>();
        final List<String> lines = new CopyOnWriteArrayList<>();

        Context(Path dir, Map<String, ServiceHandle> services) {
            this.dir = dir;
            this.services = services;
        }

        @Override
        public Map<String, ServiceHandle> services() {
            return services;
        }

        @Override
        public Path workingDirectory() {
            return dir;
        }

        @Override
        public Cancellation cancellation() {
            return cancellation;
        }

        @Override
        public void output(String line) {
            lines.add(line);
        }

        @Override
        public void report(BuildEvent event) {
            events.add(event);
        }

        @Override
        public String taskName() {
            return "a";
        }

        @Override
        public Map<String, String> environment() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Function<SecretRef, String> secrets() {
            throw new UnsupportedOperationException();
        }

        @Override
        public SecretMasker masker() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Executor executor() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Duration gracePeriod() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> shell() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Path artifactsDirectory() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Path timingsFile() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Path buildDirectory() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Workspaces workspaces() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String pipelineName() {
            throw new UnsupportedOperationException();
        }

        @Override
        public BuildInfo build() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Pipeline pipeline() {
            throw new UnsupportedOperationException();
        }

        @Override
        public JobDef job() {
            throw new UnsupportedOperationException();
        }
    }
}
