package dev.gantry.engine.batch.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.core.batch.RequestTemplate;
import dev.gantry.core.batch.TemplateException;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one input line into its id and then its request: through the step's request template, or, without one, as an
 * OpenAI-Batch line ({@code {custom_id, method, url, body}}) sent as it is. Every way a line can be wrong is a
 * {@link LineError} with its kind.
 */
public final class LineParser {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final RequestTemplate template;
    private final String idField;

    /** @param template null to read OpenAI-Batch lines */
    public LineParser(RequestTemplate template, String idField) {
        this.template = template;
        this.idField = idField;
    }

    /** A line read as far as its id. */
    public record Line(long number, String id, Map<String, Object> fields) {
    }

    /** A line that is wrong. */
    public static final class LineException extends Exception {

        private final transient LineError error;

        LineException(LineError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }

        public LineError error() {
            return error;
        }
    }

    /** Parses the line and checks its id. */
    @SuppressWarnings("unchecked")
    public Line read(long number, String text) throws LineException {
        Object value;
        try {
            value = JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            // Jackson names where a broken object started as "[Source: REDACTED (...); line: 1, column: 3]"
            String why = e.getOriginalMessage().replaceAll("\\[Source: .*?; (line: \\d+, column: \\d+)]", "$1");
            throw error(number, null, LineError.INVALID_JSON, "not JSON: " + why);
        }
        if (!(value instanceof Map)) {
            throw error(number, null, LineError.INVALID_JSON, "not a JSON object: each line must be {...}");
        }
        Map<String, Object> fields = (Map<String, Object>) value;
        Object raw = fields.get(idField);
        if (raw == null) {
            throw error(number, null, LineError.MISSING_ID, "the line has no '" + idField + "' (the id field)");
        }
        String id;
        if (raw instanceof String s) {
            id = s;
        } else if (raw instanceof Integer || raw instanceof Long || raw instanceof BigInteger) {
            id = raw.toString();
        } else {
            throw error(number, null, LineError.INVALID_ID, "'" + idField + "' is neither a string nor an integer");
        }
        String problem = ItemIds.problem(id);
        if (problem != null) {
            throw error(number, null, LineError.INVALID_ID, "id " + ItemIds.quote(id) + " is not usable: " + problem);
        }
        return new Line(number, id, fields);
    }

    /** Builds the line's request. */
    public Item request(Line line) throws LineException {
        try {
            if (template != null) {
                RequestTemplate.Filled f = template.fill(line.fields());
                return item(line, f.method(), f.path(), f.headers(), f.body());
            }
            return openAi(line);
        } catch (TemplateException e) {
            throw error(line.number(), line.id(), LineError.TEMPLATE, e.getMessage());
        }
    }

    private Item openAi(Line line) throws TemplateException {
        Object url = line.fields().get("url");
        if (!(url instanceof String u) || u.isBlank()) {
            throw new TemplateException("the line has no 'url' (an OpenAI-Batch line is {custom_id, method, url, body})");
        }
        Object method = line.fields().getOrDefault("method", "POST");
        if (!(method instanceof String m) || m.isBlank()) {
            throw new TemplateException("'method' is not a string");
        }
        return item(line, m, u, Map.of(), line.fields().get("body"));
    }

    private static Item item(Line line, String method, String path, Map<String, String> headers, Object body)
            throws TemplateException {
        Map<String, String> h = new LinkedHashMap<>(headers);
        byte[] bytes = null;
        if (body != null) {
            try {
                bytes = JSON.writeValueAsBytes(body);
            } catch (JsonProcessingException e) {
                throw new TemplateException("the body cannot be written as JSON: " + e.getOriginalMessage());
            }
            if (h.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("content-type"))) {
                h.put("Content-Type", "application/json");
            }
        }
        String p = path.startsWith("/") ? path : "/" + path;
        return new Item(line.id(), line.number(), method.toUpperCase(Locale.ROOT), p, h, bytes);
    }

    private static LineException error(long number, String id, String kind, String message) {
        return new LineException(new LineError(number, id, kind, message));
    }
}
