package dev.gantry.engine.batch.input;

import java.util.Set;

/**
 * An input line that cannot become a request. Its kinds are the input's own fault, which rereading the input
 * recreates: a resumed batch drops them from {@code errors.jsonl} and finds them again.
 *
 * @param id the item's id where the line had a usable one (a template failure), else null
 */
public record LineError(long line, String id, String kind, String message) {

    public static final String INVALID_JSON = "invalid_json";
    public static final String MISSING_ID = "missing_id";
    public static final String DUPLICATE_ID = "duplicate_id";
    public static final String INVALID_ID = "invalid_id";
    public static final String TEMPLATE = "template";

    /** The kinds of input-line errors, as {@code errors.jsonl} names them. */
    public static final Set<String> KINDS = Set.of(INVALID_JSON, MISSING_ID, DUPLICATE_ID, INVALID_ID, TEMPLATE);
}
