package dev.gantry.core.load;

import dev.gantry.core.batch.RequestTemplate;
import dev.gantry.core.batch.TemplateException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a batch turns a line into a request, read from a step's {@code request:} or from the whole of a
 * {@code gantry batch --request} file: one reader, so both take the same keys and refuse the same mistakes where
 * they are written. A template no line could fill (a misspelt placeholder, a path that is no URL path) is refused
 * here rather than failing every line alike.
 */
final class RequestTemplateParser {

    static final String DEFAULT_METHOD = "POST";
    static final List<String> METHODS = List.of("POST", "PUT", "PATCH", "GET", "DELETE");

    /** More values than any request template needs; bounds what a file of aliases can expand to. */
    static final int MAX_BODY_VALUES = 10_000;

    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern FIELD = Pattern.compile("\\s*([A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*)\\s*");
    /** Headers the HTTP client writes from the request itself. */
    private static final Set<String> SET_BY_GANTRY = Set.of("content-length", "host", "connection", "expect",
            "upgrade", "transfer-encoding");

    private RequestTemplateParser() {
    }

    /** The template in {@code node}, or empty when it has problems (reported through {@code node}). */
    static Optional<RequestTemplate> parse(YNode node) {
        Optional<Map<String, YNode>> m = node.mapping(Keys.BATCH_REQUEST);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        Map<String, YNode> keys = m.get();
        boolean broken = node.writtenKeyCount() != keys.size();
        String method = DEFAULT_METHOD;
        if (keys.containsKey("method")) {
            Optional<String> m2 = method(keys.get("method"));
            broken |= m2.isEmpty();
            method = m2.orElse(DEFAULT_METHOD);
        }
        String path = null;
        if (keys.containsKey("path")) {
            path = path(keys.get("path")).orElse(null);
            broken |= path == null;
        } else if (!broken) {
            node.problem("a request needs 'path': where on the service each request goes, e.g. path: /tts");
            broken = true;
        }
        Map<String, String> headers = Map.of();
        if (keys.containsKey("headers")) {
            Optional<Map<String, String>> h = headers(keys.get("headers"));
            broken |= h.isEmpty();
            headers = h.orElse(Map.of());
        }
        Object body = null;
        if (keys.containsKey("body")) {
            Body b = new Body(keys.get("body"));
            body = b.tree(keys.get("body"), 0);
            broken |= b.broken;
        }
        return broken ? Optional.empty() : Optional.of(new RequestTemplate(method, path, headers, body));
    }

    private static Optional<String> method(YNode node) {
        return node.nonBlank().map(t -> t.trim().toUpperCase(Locale.ROOT)).filter(t -> {
            if (METHODS.contains(t)) {
                return true;
            }
            node.problem("unknown method '" + t + "'" + Suggestions.hint(t, METHODS) + "; use one of "
                    + String.join(", ", METHODS) + " (default " + DEFAULT_METHOD + ")");
            return false;
        });
    }

    private static Optional<String> path(YNode node) {
        Optional<String> t = node.nonBlank();
        if (t.isEmpty()) {
            return Optional.empty();
        }
        String path = t.get();
        if (!path.startsWith("/")) {
            node.problem("path must start with '/', e.g. /tts: it is appended to the service's address");
            return Optional.empty();
        }
        if (path.startsWith("//")) {
            node.problem("path must start with a single '/': '//' would name another host");
            return Optional.empty();
        }
        if (!placeholdersWellFormed(node, path)) {
            return Optional.empty();
        }
        Optional<String> bad = notAUrlPath(path);
        bad.ifPresent(reason -> node.problem("'" + path + "' is not a URL path (" + reason + "): percent-encode "
                + "spaces and other special characters; what placeholders put in is encoded for you"));
        return bad.isPresent() ? Optional.empty() : Optional.of(path);
    }

    /** Why the path, with its placeholders filled by plain text, is not a URL path; empty if it is one. */
    private static Optional<String> notAUrlPath(String path) {
        String filled;
        try {
            filled = new RequestTemplate("GET", path, Map.of(), null).fill(sample(path)).path();
        } catch (TemplateException e) {
            return Optional.empty();
        }
        try {
            URI uri = new URI("http://host" + filled);
            return uri.getRawFragment() != null ? Optional.of("a '#' fragment is never sent") : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of(e.getReason().toLowerCase(Locale.ROOT));
        }
    }

    /** A line that fills every placeholder of {@code path} with plain text. */
    private static Map<String, Object> sample(String path) {
        Map<String, Object> item = new HashMap<>();
        for (String field : new RequestTemplate("GET", path, Map.of(), null).fields()) {
            Map<String, Object> at = item;
            String[] parts = field.split("\\.");
            for (int i = 0; i < parts.length - 1; i++) {
                Object next = at.computeIfAbsent(parts[i], k -> new HashMap<String, Object>());
                if (!(next instanceof Map)) {
                    break;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> nested = (Map<String, Object>) next;
                at = nested;
            }
            at.putIfAbsent(parts[parts.length - 1], "x");
        }
        return item;
    }

    private static Optional<Map<String, String>> headers(YNode node) {
        Optional<Map<String, YNode>> m = node.mapping(null);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        boolean broken = false;
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, String> seen = new HashMap<>();
        for (Map.Entry<String, YNode> e : m.get().entrySet()) {
            String name = e.getKey();
            YNode v = e.getValue();
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HEADER_NAME.matcher(name).matches()) {
                v.problem("invalid header name '" + name + "': letters, digits and - (e.g. Authorization, X-Voice)");
                broken = true;
            } else if (SET_BY_GANTRY.contains(lower)) {
                v.problem("header '" + name + "' is written by Gantry from the request itself: remove it");
                broken = true;
            } else if (seen.containsKey(lower)) {
                v.problem("header '" + name + "' is given twice (also as '" + seen.get(lower) + "'): header names "
                        + "are not case-sensitive");
                broken = true;
            } else if (v.isNull()) {
                v.problem("header '" + name + "' has no value: give one, or remove it");
                broken = true;
            } else {
                seen.put(lower, name);
                Optional<String> t = v.text();
                if (t.isEmpty() || !placeholdersWellFormed(v, t.get())) {
                    broken = true;
                } else if (t.get().contains("\n") || t.get().contains("\r")) {
                    v.problem("a header value is one line");
                    broken = true;
                } else {
                    out.put(name, t.get());
                }
            }
        }
        return broken ? Optional.empty() : Optional.of(out);
    }

    /**
     * Whether every double-brace expression in {@code text} is a placeholder; reports each one that is not on
     * {@code node}, with the placeholder it was probably meant to be.
     */
    static boolean placeholdersWellFormed(YNode node, String text) {
        List<String> bad = RequestTemplate.malformed(text);
        for (String b : bad) {
            String inner = b.endsWith("}}") ? b.substring(2, b.length() - 2) : b.substring(2);
            var field = FIELD.matcher(inner);
            if (!b.endsWith("}}")) {
                node.problem("'" + b + "' is not closed: a placeholder is '{{ .field }}'");
            } else if (field.matches()) {
                node.problem("'" + b + "' is not a placeholder: write '{{ ." + field.group(1) + " }}' (a dot, then "
                        + "the line's field)");
            } else {
                node.problem("'" + b + "' is not a placeholder: write '{{ .field }}', or '{{ .a.b }}' for a field "
                        + "inside an object of the line");
            }
        }
        return bad.isEmpty();
    }

    /** The body as a JSON-like tree (maps, lists, strings, numbers, booleans, null), bounded in size and depth. */
    private static final class Body {

        private final YNode root;
        private boolean broken;
        private boolean tooBig;
        private int values;

        Body(YNode root) {
            this.root = root;
        }

        Object tree(YNode node, int depth) {
            if (++values > MAX_BODY_VALUES || depth > PipelineLoader.MAX_DEPTH) {
                if (!tooBig) {
                    root.problem("the body has more than " + (values > MAX_BODY_VALUES ? MAX_BODY_VALUES + " values"
                            : PipelineLoader.MAX_DEPTH + " levels") + " (aliases included): a request template "
                            + "needs far fewer");
                }
                broken = true;
                tooBig = true;
                return null;
            }
            if (node.isNull()) {
                return null;
            }
            if (node.isMapping()) {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<String, YNode> e : node.mapping(null).orElseThrow().entrySet()) {
                    if (e.getKey().contains("{{")) {
                        e.getValue().problem("'" + e.getKey() + "' is a key: placeholders are filled in values only");
                        broken = true;
                    }
                    out.put(e.getKey(), tree(e.getValue(), depth + 1));
                    if (tooBig && values > MAX_BODY_VALUES) {
                        return null;
                    }
                }
                return out;
            }
            if (node.isSequence()) {
                List<Object> out = new ArrayList<>();
                for (YNode item : node.sequence().orElseThrow()) {
                    out.add(tree(item, depth + 1));
                    if (tooBig && values > MAX_BODY_VALUES) {
                        return null;
                    }
                }
                return out;
            }
            Optional<Object> v = node.jsonScalar();
            if (v.isEmpty()) {
                broken = true;
                return null;
            }
            if (v.get() instanceof String s && !placeholdersWellFormed(node, s)) {
                broken = true;
            }
            return v.get();
        }
    }
}
