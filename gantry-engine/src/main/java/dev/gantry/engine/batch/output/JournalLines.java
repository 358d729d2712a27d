package dev.gantry.engine.batch.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The two line shapes of a batch's journal, {@code results.jsonl} and {@code errors.jsonl}, as their bytes. Lines are
 * pure ASCII (any other character is written as JSON's backslash-u escape), so a line torn by a crash can never end
 * inside a multi-byte character: it is merely a line that does not parse, which {@link Recovery} drops.
 */
public final class JournalLines {

    static final ObjectMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private JournalLines() {
    }

    /**
     * One finished item: {@code output}, {@code bytes} and {@code sha256} for a file answer, {@code body} for a JSON
     * one.
     */
    public record Result(String id, int status, String output, long bytes, String sha256, long latencyMs,
                         int attempts, JsonNode body) {

        /** The line's bytes; throws {@link UnwritableLineException} for a body JSON cannot write (nested too deep). */
        public byte[] toJson() {
            ObjectNode n = JSON.createObjectNode();
            n.put("id", id);
            n.put("status", status);
            if (output != null) {
                n.put("output", output);
                n.put("bytes", bytes);
                n.put("sha256", sha256);
            }
            n.put("latency_ms", latencyMs);
            n.put("attempts", attempts);
            if (body != null) {
                n.set("body", body);
            }
            return serialize(n);
        }
    }

    /**
     * One failed item or input line.
     *
     * @param id     null when the line had no usable id
     * @param status the HTTP status of the last answer, or null when there was none
     */
    public record Error(String id, long line, String kind, String message, int attempts, Integer status) {

        byte[] toJson() {
            ObjectNode n = JSON.createObjectNode();
            if (id != null) {
                n.put("id", id);
            }
            n.put("line", line);
            n.put("kind", kind);
            n.put("message", message);
            n.put("attempts", attempts);
            if (status != null) {
                n.put("status", status);
            }
            return serialize(n);
        }
    }

    /** A line that cannot be written as JSON: an answer's body beyond the writer's limits (nesting depth). */
    public static final class UnwritableLineException extends RuntimeException {

        UnwritableLineException(JsonProcessingException cause) {
            super(cause.getOriginalMessage(), cause);
        }
    }

    private static byte[] serialize(ObjectNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new UnwritableLineException(e);
        }
    }
}
