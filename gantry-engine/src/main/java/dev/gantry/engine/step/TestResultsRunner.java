package dev.gantry.engine.step;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.core.junit.JUnitReports;
import dev.gantry.core.junit.TestCase;
import dev.gantry.core.pipeline.StepDef;
import dev.gantry.core.pipeline.TestResultsStep;
import dev.gantry.engine.record.AtomicFiles;
import dev.gantry.engine.record.TimingsStore;
import dev.gantry.engine.run.Outcome;
import dev.gantry.engine.run.TaskKeys;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.workspace.Globs;
import dev.gantry.engine.event.BuildEvent;
import java.io.IOException;
import java.time.Instant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JUnit XML reports, prints the counts and the failed tests, keeps every test with the build
 * ({@code tests/TASK.json}) and adds passing tests' durations to the job's timings history. A malformed report
 * fails the step, naming the file, after the other reports were ingested. Failed tests do not fail this step: the
 * step that ran them already did.
 */
final class TestResultsRunner implements StepRunner {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LISTED_FAILURES = 10;

    @Override
    public String type() {
        return TestResultsStep.TYPE;
    }

    @Override
    public Outcome run(StepDef def, StepContext ctx) {
        TestResultsStep step = (TestResultsStep) def;
        try {
            List<String> files = Globs.files(ctx.workingDirectory(), step.paths());
            if (files.isEmpty()) {
                return new Outcome(TaskState.FAILED, 1, "no test report matched " + String.join(", ", step.paths()));
            }
            List<TestCase> cases = new ArrayList<>();
            List<String> malformed = new ArrayList<>();
            for (String f : files) {
                try {
                    cases.addAll(JUnitReports.parse(f, Files.readAllBytes(ctx.workingDirectory().resolve(f))));
                } catch (JUnitReports.MalformedReportException e) {
                    malformed.add(e.getMessage());
                    ctx.output("FAILED " + e.getMessage());
                }
            }
            cases.replaceAll(ctx.masker()::maskTest);
            report(ctx, cases, files.size() - malformed.size());
            TimingsStore.record(ctx.timingsFile(), cases);
            List<TestCase> kept = withUsableTimes(ctx, cases);
            Path record = ctx.buildDirectory().resolve("tests").resolve(TaskKeys.key(ctx.taskName()) + ".json");
            Files.createDirectories(record.getParent());
            AtomicFiles.write(record, JSON.writeValueAsBytes(kept));
            ctx.report(new BuildEvent.TestResultsRecorded(Instant.now(), ctx.taskName(), kept));
            if (!malformed.isEmpty()) {
                return new Outcome(TaskState.FAILED, 1, malformed.size() == 1 ? malformed.get(0)
                        : malformed.size() + " test reports could not be read; first: " + malformed.get(0));
            }
            return Outcome.SUCCESS;
        } catch (IOException e) {
            return Outcome.errored("cannot ingest test reports: " + e.getMessage());
        }
    }

    /**
     * The tests with every unusable time ({@code NaN}, infinite, negative) replaced by 0, after a warning in the
     * task's log: the timings history already left them out, and neither the build's record nor the store can hold
     * them.
     */
    private static List<TestCase> withUsableTimes(StepContext ctx, List<TestCase> cases) {
        List<TestCase> bad = cases.stream().filter(c -> !c.hasValidTime()).toList();
        if (bad.isEmpty()) {
            return cases;
        }
        TestCase first = bad.get(0);
        ctx.output("WARNING: " + bad.size()
                + (bad.size() == 1 ? " test has a time that is" : " tests have times that are") + " not a finite, non-negative number of seconds (first: "
                + (first.className() == null ? "" : first.className() + ".") + first.name() + ": " + first.seconds()
                + "s); ignored, and not added to the timings history");
        return cases.stream().map(c -> c.hasValidTime() ? c : c.withoutTime()).toList();
    }

    private static void report(StepContext ctx, List<TestCase> cases, int files) {
        Map<TestCase.Status, Integer> counts = new EnumMap<>(TestCase.Status.class);
        for (TestCase.Status s : TestCase.Status.values()) {
            counts.put(s, 0);
        }
        cases.forEach(c -> counts.merge(c.status(), 1, Integer::sum));
        ctx.output(cases.size() + " tests in " + files + (files == 1 ? " report: " : " reports: ")
                + counts.get(TestCase.Status.PASSED) + " passed, " + counts.get(TestCase.Status.FAILED) + " failed, "
                + counts.get(TestCase.Status.ERROR) + " errors, " + counts.get(TestCase.Status.SKIPPED) + " skipped");
        cases.stream().filter(c -> c.status() == TestCase.Status.FAILED || c.status() == TestCase.Status.ERROR)
                .limit(LISTED_FAILURES).forEach(c -> ctx.output("  " + c.status().name().toLowerCase(java.util.Locale.ROOT) + ": "
                        + (c.className() == null ? "" : c.className() + ".") + c.name()
                        + (c.message() == null ? "" : ": " + c.message())));
    }
}
