package dev.gantry.server.layout;

import java.nio.file.Path;

/** Where a server build keeps its record, logs, artifacts and (while it runs) its checkout. */
public final class BuildDirectories {

    private BuildDirectories() {
    }

    public static Path of(Path dataDir, String buildId) {
        return dataDir.resolve("builds").resolve(buildId);
    }

    /** Any stored build's directory: {@code gantry run} numbers its own ({@code .gantry/builds/N}). */
    public static Path of(Path dataDir, dev.gantry.store.BuildRow build) {
        return build.trigger().equals("local") ? dataDir.resolve("builds").resolve(Long.toString(build.number()))
                : of(dataDir, build.id());
    }
}
