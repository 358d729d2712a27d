package dev.gantry.core.pipeline;

/**
 * The container image a job's tasks (or one service) run in, on a Docker host: {@code image: python:3.11-slim}
 * or {@code image: {name: ..., pull: if_missing, user: "1000:1000", auth: {username: ..., password: {secret:
 * ...}}}}. A job without one (and without {@code defaults.image}), or with {@code image: none}, runs as local
 * processes.
 *
 * @param name     the image reference, e.g. {@code registry.example/tts-ci:torch29}
 * @param pull     when the image is pulled from its registry
 * @param user     the user the steps run as inside ({@code uid}, {@code uid:gid} or a name); null for Gantry's own
 *                 uid and gid, so the files steps create in the working copy stay Gantry's
 * @param auth     registry credentials; null to pull anonymously
 * @param location where it is written, for errors at run time
 */
public record ImageRef(String name, Pull pull, String user, RegistryAuth auth, Location location) {

    /** When an image is pulled. */
    public enum Pull {
        /** Before every task, so a moved tag is followed. */
        ALWAYS,
        /** Only when the Docker host lacks it (the default). */
        IF_MISSING,
        /** Never: the image must already be on the host. */
        NEVER;

        /** The word used in pipeline files: {@code always}, {@code if_missing}, {@code never}. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Registry credentials; the password is normally a secret reference. */
    public record RegistryAuth(Value username, Value password) {
    }

    public ImageRef {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(pull, "pull");
    }

    public static ImageRef of(String name) {
        return new ImageRef(name, Pull.IF_MISSING, null, null, null);
    }

    @Override
    public String toString() {
        return name;
    }
}
