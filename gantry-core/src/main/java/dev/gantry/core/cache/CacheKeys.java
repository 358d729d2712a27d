package dev.gantry.core.cache;

import dev.gantry.core.glob.Glob;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cache key templates, CircleCI style: {@code deps-v1-{{ checksum "pom.xml" }}-{{ .Branch }}}. Expressions:
 * {@code checksum "FILE or GLOB"}, {@code .Branch}, {@code .Revision}, {@code .Environment.NAME}, {@code arch},
 * {@code epoch}.
 */
public final class CacheKeys {

    private static final Pattern EXPR = Pattern.compile("\\{\\{\\s*(.*?)\\s*}}");
    private static final Pattern CHECKSUM = Pattern.compile("checksum\\s+\"([^\"]+)\"");
    private static final Pattern ENV = Pattern.compile("\\.Environment\\.([A-Za-z_][A-Za-z0-9_]*)");

    /** What a template can refer to; the engine implements it over the task's working copy. */
    public interface Context {

        /** A SHA-256 over the named file, or over every file a glob matches (names and contents, in order). */
        String checksum(String fileOrGlob);

        String branch();

        String revision();

        Map<String, String> environment();

        String arch();

        long epochSeconds();
    }

    private CacheKeys() {
    }

    /** What is wrong with a template, for the loader; empty when every expression is known. */
    public static Optional<String> problem(String template) {
        Matcher m = EXPR.matcher(template);
        while (m.find()) {
            String e = m.group(1);
            Matcher checksum = CHECKSUM.matcher(e);
            if (checksum.matches() && Glob.isPattern(checksum.group(1))) {
                Optional<String> bad = Glob.problem(checksum.group(1));
                if (bad.isPresent()) {
                    return Optional.of(bad.get() + " in cache key");
                }
            }
            if (!(CHECKSUM.matcher(e).matches() || ENV.matcher(e).matches() || e.equals(".Branch")
                    || e.equals(".Revision") || e.equals("arch") || e.equals("epoch"))) {
                return Optional.of("unknown expression '{{ " + e + " }}' in cache key; use checksum \"FILE\", .Branch, "
                        + ".Revision, .Environment.NAME, arch or epoch");
            }
        }
        if (template.replaceAll(EXPR.pattern(), "").contains("{{")) {
            return Optional.of("unclosed '{{' in cache key");
        }
        return Optional.empty();
    }

    public static String render(String template, Context c) {
        Matcher m = EXPR.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String e = m.group(1);
            Matcher checksum = CHECKSUM.matcher(e);
            Matcher env = ENV.matcher(e);
            String value;
            if (checksum.matches()) {
                value = c.checksum(checksum.group(1));
            } else if (env.matches()) {
                value = c.environment().getOrDefault(env.group(1), "");
            } else {
                value = switch (e) {
                    case ".Branch" -> c.branch() == null ? "" : c.branch();
                    case ".Revision" -> c.revision() == null ? "" : c.revision();
                    case "arch" -> c.arch();
                    case "epoch" -> Long.toString(c.epochSeconds());
                    default -> throw new IllegalArgumentException("unknown expression " + e);
                };
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
