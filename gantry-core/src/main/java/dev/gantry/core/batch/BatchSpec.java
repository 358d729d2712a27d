package dev.gantry.core.batch;

import java.time.Duration;

/**
 * What a batch does, however it was asked for (a pipeline's {@code batch} step or {@code gantry batch}): stream
 * {@code input}, one JSON object per line, turn each into a request, send it with at most {@code concurrency} in
 * flight, and keep each answer under {@code output} exactly once, resumably.
 *
 * @param input       the JSONL file, relative to the working directory (the step's) or as given (the CLI)
 * @param request     how a line becomes a request; null to send OpenAI-Batch lines as they are
 *                    ({@code {custom_id, method, url, body}})
 * @param idField     the field naming each item: its results line and its output file {@code <id>.<ext>}
 * @param output      the directory of the answers, {@code results.jsonl} and {@code errors.jsonl}
 * @param retries     retries of a transient failure, after the first attempt
 * @param timeout     one request's limit
 * @param retryErrors whether a rerun retries the ids {@code errors.jsonl} records (by default it skips them too)
 */
public record BatchSpec(String input, RequestTemplate request, String idField, String output, int concurrency,
                        int retries, Duration timeout, Flush flush, boolean retryErrors) {

    public static final String DEFAULT_ID = "custom_id";
    public static final int DEFAULT_CONCURRENCY = 4;
    public static final int MAX_CONCURRENCY = 1024;
    public static final int DEFAULT_RETRIES = 3;
    public static final int MAX_RETRIES = 100;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);
    public static final String RESULTS = "results.jsonl";
    public static final String ERRORS = "errors.jsonl";

    /**
     * Results and errors are written in batches: after {@code every} lines or {@code after} since the oldest
     * unwritten one, whichever comes first, and synced; a crash loses at most that batch, which a rerun redoes.
     */
    public record Flush(int every, Duration after) {

        public static final Flush STANDARD = new Flush(50, Duration.ofSeconds(2));
    }
}
