package dev.gantry.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.stream.Collectors;

/**
 * What a client is told about a request body that is not the JSON expected: the field and what it should be, or
 * where the syntax broke. Jackson's own messages name Java types ({@code java.lang.String}) and tokens, which say
 * nothing to a client and show how the server is built.
 */
public final class BadJson {

    private BadJson() {
    }

    public static String message(JacksonException e) {
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            return "'" + path(m) + "' should be " + kind(m.getTargetType());
        }
        JsonLocation at = e.getLocation();
        return "the body is not valid JSON" + (at != null && at.getLineNr() > 0
                ? " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")" : "");
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String kind(Class<?> type) {
        if (type == null) {
            return "something else";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isArray() || Iterable.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "an object";
    }
}
