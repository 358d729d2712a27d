package dev.gantry.core.batch;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How one input line becomes one request: {@code {{ .field }}} (or {@code {{ .a.b }}} into a nested object) in the
 * path, a header or any string of the body is replaced by that field of the line. A string that is only a
 * placeholder takes the field's JSON value as it is (a number stays a number, an object an object); inside other text
 * the value is written as text (and URL-encoded in the path). A field the line lacks cannot fill the template.
 *
 * @param body a JSON-like tree: maps with string keys, lists, strings, numbers, booleans, null; null for no body
 */
public record RequestTemplate(String method, String path, Map<String, String> headers, Object body) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*\\.([A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*)\\s*}}");
    /** Anything between double braces, or an opening pair never closed: what a placeholder was meant to be. */
    private static final Pattern BRACES = Pattern.compile("\\{\\{(?:.*?}}|.*)", Pattern.DOTALL);

    public RequestTemplate {
        headers = Map.copyOf(headers);
    }

    /** A filled request: its body is the same kind of tree as the template's, ready to be written as JSON. */
    public record Filled(String method, String path, Map<String, String> headers, Object body) {
    }

    /** The placeholders' fields, e.g. {@code [input_text, voice]}: what the loader shows in errors and docs. */
    public List<String> fields() {
        List<String> out = new ArrayList<>();
        collect(path, out);
        headers.values().forEach(v -> collect(v, out));
        collectTree(body, out);
        return out;
    }

    /**
     * The double-brace expressions in {@code text} that are not placeholders ({@code {{ input_text }}} meant as
     * {@code {{ .input_text }}}, or double braces never closed), so that a loader refuses a template no line could
     * fill where it is written, instead of every line failing alike.
     */
    public static List<String> malformed(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = BRACES.matcher(text);
        while (m.find()) {
            if (!PLACEHOLDER.matcher(m.group()).matches()) {
                out.add(m.group());
            }
        }
        return out;
    }

    /** Fills the template from one line's object. */
    public Filled fill(Map<String, Object> item) throws TemplateException {
        Map<String, String> h = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : headers.entrySet()) {
            h.put(e.getKey(), text(e.getValue(), item, false));
        }
        return new Filled(method, text(path, item, true), h, tree(body, item));
    }

    private static Object tree(Object node, Map<String, Object> item) throws TemplateException {
        if (node instanceof String s) {
            Matcher whole = PLACEHOLDER.matcher(s.strip());
            if (whole.matches()) {
                return lookup(whole.group(1), item);
            }
            return text(s, item, false);
        }
        if (node instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(e.getKey()), tree(e.getValue(), item));
            }
            return out;
        }
        if (node instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                out.add(tree(o, item));
            }
            return out;
        }
        return node;
    }

    private static String text(String s, Map<String, Object> item, boolean urlEncode) throws TemplateException {
        Matcher m = PLACEHOLDER.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object v = lookup(m.group(1), item);
            if (v instanceof Map || v instanceof List) {
                throw new TemplateException("field '" + m.group(1) + "' is an " + (v instanceof Map ? "object" : "array")
                        + ", which cannot be written inside text");
            }
            String t = String.valueOf(v);
            m.appendReplacement(out, Matcher.quoteReplacement(urlEncode
                    ? URLEncoder.encode(t, StandardCharsets.UTF_8).replace("+", "%20") : t));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Object lookup(String dotted, Map<String, Object> item) throws TemplateException {
        Object cur = item;
        for (String part : dotted.split("\\.")) {
            if (!(cur instanceof Map<?, ?> m) || !m.containsKey(part)) {
                throw new TemplateException("the line has no field '" + dotted + "' for the request template");
            }
            cur = m.get(part);
        }
        if (cur == null) {
            throw new TemplateException("field '" + dotted + "' is null");
        }
        return cur;
    }

    private static void collect(String s, List<String> out) {
        Matcher m = PLACEHOLDER.matcher(s);
        while (m.find()) {
            out.add(m.group(1));
        }
    }

    private static void collectTree(Object node, List<String> out) {
        if (node instanceof String s) {
            collect(s, out);
        } else if (node instanceof Map<?, ?> m) {
            m.values().forEach(v -> collectTree(v, out));
        } else if (node instanceof List<?> l) {
            l.forEach(v -> collectTree(v, out));
        }
    }
}
