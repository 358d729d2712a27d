package dev.gantry.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.core.batch.BatchFigures;
import dev.gantry.core.batch.BatchSpec;
import dev.gantry.core.batch.BatchUrl;
import dev.gantry.core.batch.Latencies;
import dev.gantry.core.batch.RequestTemplate;
import dev.gantry.core.load.BatchRequests;
import dev.gantry.core.pipeline.Durations;
import dev.gantry.engine.batch.BatchListener;
import dev.gantry.engine.batch.BatchSummary;
import dev.gantry.engine.batch.BatchResult;
import dev.gantry.engine.batch.BatchRun;
import dev.gantry.engine.batch.BatchTarget;
import dev.gantry.engine.cancel.Cancellation;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gantry batch INPUT.jsonl --url URL --out DIR}: the {@code batch} step outside pipelines, against any
 * service. Run it again with the same arguments to resume: what is done is skipped, the rest is sent.
 */
@Command(name = "batch", description = "Send every line of a JSONL file to a service, keep each answer exactly once "
        + "(DIR/<id>.<ext>, DIR/results.jsonl, DIR/errors.jsonl); run again to resume.")
final class BatchCommand implements Callable<Integer> {

    @Parameters(paramLabel = "INPUT.jsonl", description = "One JSON object per line.")
    Path input;

    @Option(names = "--url", required = true, paramLabel = "URL", description = "The service, e.g. "
            + "http://127.0.0.1:8080; each request's path is appended to it.")
    String url;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the answers, results.jsonl "
            + "and errors.jsonl go.")
    Path out;

    @Option(names = "--request", paramLabel = "FILE", description = "The request template, YAML or JSON: {method, "
            + "path, headers, body} with {{ .field }} placeholders (default: OpenAI-Batch lines, sent as they are).")
    Path request;

    @Option(names = "--id", paramLabel = "FIELD", description = "The field naming each item (default: custom_id).")
    String id = BatchSpec.DEFAULT_ID;

    @Option(names = "--concurrency", paramLabel = "N", description = "Most requests in flight (default: 4).")
    int concurrency = BatchSpec.DEFAULT_CONCURRENCY;

    @Option(names = "--retries", paramLabel = "N", description = "Retries of a transient failure (default: 3).")
    int retries = BatchSpec.DEFAULT_RETRIES;

    @Option(names = "--timeout", paramLabel = "D", description = "One request's limit, e.g. 30s, 2m (default: 2m).")
    String timeout = "2m";

    @Option(names = "--flush-every", paramLabel = "N", description = "Write results and errors after this many "
            + "lines (default: 50).")
    int flushEvery = BatchSpec.Flush.STANDARD.every();

    @Option(names = "--flush-after", paramLabel = "D", description = "... or after this long (default: 2s).")
    String flushAfter = "2s";

    @Option(names = "--retry-errors", description = "Also retry the items errors.jsonl records (a rerun skips them "
            + "otherwise).")
    boolean retryErrors;

    @Option(names = "--json", description = "Print progress and the end as JSON objects, one per line.")
    boolean json;

    private final Main main;
    private final ObjectMapper mapper = new ObjectMapper()
            .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);

    BatchCommand(Main main) {
        this.main = main;
    }

    @Override
    public Integer call() throws Exception {
        String invalid = invalid();
        if (invalid != null) {
            main.err().println("gantry batch: " + invalid);
            return ExitCodes.INVALID;
        }
        RequestTemplate template = request == null ? null : BatchRequests.read(request, request.toString());
        BatchSpec spec = new BatchSpec(input.toString(), template, id, out.toString(), concurrency, retries,
                Durations.parse(timeout).orElseThrow(), new BatchSpec.Flush(flushEvery,
                Durations.parse(flushAfter).orElseThrow()), retryErrors);
        Cancellation cancellation = Cancellation.root();
        Progress progress = new Progress();
        BatchResult result;
        try (AutoCloseable ignored = main.onInterrupt(sig -> cancellation.cancel(Cancellation.Reason.CANCELLED,
                "stopped by SIG" + sig))) {
            result = BatchRun.run(spec, Path.of("").toAbsolutePath(), BatchTarget.url(URI.create(BatchUrl.normalized(url))), progress,
                    cancellation);
        }
        progress.end(result);
        if (result.complete()) {
            return ExitCodes.OK;
        }
        return cancellation.isCancelled() ? ExitCodes.CANCELLED : ExitCodes.FAILED;
    }

    /** What is wrong with the arguments, or null. */
    private String invalid() {
        if (!Files.isRegularFile(input)) {
            return "no input file " + input;
        }
        String badUrl = BatchUrl.problem(url);
        if (badUrl != null) {
            return "--url " + url + ": " + badUrl;
        }
        if (concurrency < 1 || concurrency > BatchSpec.MAX_CONCURRENCY) {
            return "--concurrency: from 1 to " + BatchSpec.MAX_CONCURRENCY + ", found " + concurrency;
        }
        if (retries < 0 || retries > BatchSpec.MAX_RETRIES) {
            return "--retries: from 0 to " + BatchSpec.MAX_RETRIES + ", found " + retries;
        }
        if (flushEvery < 1) {
            return "--flush-every: at least 1, found " + flushEvery;
        }
        for (String[] d : new String[][] {{"--timeout", timeout}, {"--flush-after", flushAfter}}) {
            if (Durations.parse(d[1]).filter(x -> !x.isZero()).isEmpty()) {
                return d[0] + ": expected a duration such as 500ms, 30s or 2m, found '" + d[1] + "'";
            }
        }
        if (id.isBlank()) {
            return "--id: the name of a field";
        }
        return null;
    }

    /** The live line on a terminal, a line every ten seconds elsewhere, or JSON objects with {@code --json}. */
    private final class Progress implements BatchListener {

        private static final Duration QUIET = Duration.ofSeconds(10);
        private long lastPrinted;
        private boolean lineOpen;

        @Override
        public synchronized void progress(BatchFigures figures, Latencies sinceLast) {
            if (json) {
                print("progress", figures, null);
            } else if (main.isTerminal()) {
                main.err().print("\r\033[K" + BatchSummary.progress(figures));
                main.err().flush();
                lineOpen = true;
            } else if (System.nanoTime() - lastPrinted >= QUIET.toNanos()) {
                lastPrinted = System.nanoTime();
                main.err().println(BatchSummary.progress(figures));
            }
        }

        @Override
        public synchronized void note(String line) {
            if (json) {
                ObjectNode n = mapper.createObjectNode().put("event", "note").put("message", line);
                main.out().println(n);
                return;
            }
            closeLine();
            main.err().println(line);
        }

        synchronized void end(BatchResult result) {
            if (json) {
                print("finished", result.figures(), result.failure());
                return;
            }
            closeLine();
            BatchSummary.summary(result.figures(), out.toString()).forEach(main.out()::println);
            if (!result.complete()) {
                main.err().println("gantry batch: stopped before the end: " + result.failure()
                        + "; run the same command again to resume");
            }
        }

        private void print(String event, BatchFigures figures, String failure) {
            ObjectNode n = mapper.createObjectNode().put("event", event);
            n.setAll((ObjectNode) mapper.valueToTree(Figures.of(figures)));
            if (failure != null) {
                n.put("failure", failure);
            }
            main.out().println(n);
            main.out().flush();
        }

        private void closeLine() {
            if (lineOpen) {
                main.err().println();
                lineOpen = false;
            }
        }
    }

    /** The figures with durations in milliseconds, as JSON readers expect numbers. */
    record Figures(long total, long done, long succeeded, long failed, long skipped, long retries, int inFlight,
                   long elapsedMs, double perSecond, Long etaMs, Long p50Ms, Long p95Ms, Long p99Ms) {

        static Figures of(BatchFigures f) {
            return new Figures(f.total(), f.done(), f.succeeded(), f.failed(), f.skipped(), f.retries(),
                    f.inFlight(), f.elapsed().toMillis(), f.perSecond(), ms(f.eta()), ms(f.p50()), ms(f.p95()),
                    ms(f.p99()));
        }

        private static Long ms(Duration d) {
            return d == null ? null : d.toMillis();
        }
    }
}
