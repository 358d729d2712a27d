package dev.gantry.engine.batch.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;

/** What one attempt came to. */
public sealed interface Answer {

    /** A file answer, written and synced under {@code .partial/}, waiting to be committed. */
    record Stored(int status, Path temporary, String extension, long bytes, String sha256) implements Answer {
    }

    /** A JSON answer, parsed. */
    record Json(int status, JsonNode body) implements Answer {
    }

    /**
     * An attempt that failed.
     *
     * @param transientFailure whether another attempt may succeed (5xx, 429, 408, timeouts, connections)
     * @param kind             {@code http}, {@code timeout}, {@code connection}, {@code bad_answer} or
     *                         {@code request} (a request the HTTP client refuses to build)
     * @param status           the answer's HTTP status, or null when there was no answer
     * @param retryAfter       what the server asked to wait, or null
     */
    record Failure(boolean transientFailure, String kind, Integer status, String message, Duration retryAfter)
            implements Answer {
    }

    /** An attempt stopped because the batch stops; it is neither a result nor an error and a rerun does it again. */
    record Abandoned() implements Answer {
    }
}
