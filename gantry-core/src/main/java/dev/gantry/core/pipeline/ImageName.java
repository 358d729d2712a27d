package dev.gantry.core.pipeline;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Docker image reference taken apart — {@code [registry[:port]/]path[:tag][@sha256:digest]} — so a bad one is
 * refused where it is written rather than by the Docker host at run time, and so an executor can pull by
 * repository and tag without splitting the text itself (the colon of a registry's port is not a tag's).
 *
 * @param registry the registry host with its port, e.g. {@code registry.example:5000}; null for Docker Hub
 * @param path     the repository path, lower-case components separated by {@code /}, e.g. {@code team/tts}
 * @param tag      e.g. {@code 3.11-slim}; null when none is written
 * @param digest   e.g. {@code sha256:0123…}; null when none is written
 */
public record ImageName(String registry, String path, String tag, String digest) {

    /** Reserved: a job's {@code image: none} runs it as local processes, so no image may be named that. */
    public static final String NONE = "none";

    /** What a name must look like, for error messages. */
    public static final String RULE = "write [registry[:port]/]repository[:tag][@sha256:digest], e.g. "
            + "python:3.11-slim or registry.example:5000/team/tts:latest";

    private static final Pattern HOST = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
                    + "|\\[[a-fA-F0-9:]+\\])(?::[0-9]{1,5})?");
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final int MAX_REPOSITORY = 255;

    /** The name as it is pulled: registry and path, without tag or digest. */
    public String repository() {
        return registry == null ? path : registry + "/" + path;
    }

    /** Reads {@code text}, or says in an {@link IllegalArgumentException}'s message what is wrong with it. */
    public static ImageName parse(String text) {
        if (text.equals(NONE)) {
            throw new IllegalArgumentException("it is reserved for a job's 'image: none', which runs its tasks as "
                    + "local processes");
        }
        if (text.isEmpty() || text.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException("an image name has no spaces");
        }
        String rest = text;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw new IllegalArgumentException("digest '" + digest + "' is not sha256: and 64 lower-case hex "
                        + "digits");
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("tag '" + tag + "' must be 1 to 128 letters, digits, '_', '.' and "
                        + "'-', not starting with '.' or '-'");
            }
        }
        String registry = null;
        int slash = rest.indexOf('/');
        if (slash >= 0 && isRegistry(rest.substring(0, slash))) {
            registry = rest.substring(0, slash);
            rest = rest.substring(slash + 1);
            if (!HOST.matcher(registry).matches()) {
                throw new IllegalArgumentException("registry '" + registry + "' is not a host name or address with "
                        + "an optional :port");
            }
        }
        for (String component : rest.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw new IllegalArgumentException(component.isEmpty() ? "the repository has an empty part"
                        : "'" + component + "' in the repository must be " + (hasUpperCase(component)
                        ? "lower-case: '" + component.toLowerCase(Locale.ROOT) + "'"
                        : "letters a-z and digits, separated by '.', '_', '__' or '-'"));
            }
        }
        if ((registry == null ? 0 : registry.length() + 1) + rest.length() > MAX_REPOSITORY) {
            throw new IllegalArgumentException("the repository is longer than " + MAX_REPOSITORY + " characters");
        }
        return new ImageName(registry, rest, tag, digest);
    }

    /** Why {@code text} is not an image name, if it is not. */
    public static Optional<String> problem(String text) {
        try {
            parse(text);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Docker's rule: a first part with a dot, a port, upper case, or {@code localhost} is a registry. */
    private static boolean isRegistry(String first) {
        return first.contains(".") || first.contains(":") || first.equals("localhost") || hasUpperCase(first)
                || first.startsWith("[");
    }

    private static boolean hasUpperCase(String s) {
        return !s.toLowerCase(Locale.ROOT).equals(s);
    }

    @Override
    public String toString() {
        return repository() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
