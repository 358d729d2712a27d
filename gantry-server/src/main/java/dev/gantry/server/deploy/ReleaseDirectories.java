package dev.gantry.server.deploy;

import dev.gantry.engine.deploy.EnvironmentDirectory;
import java.nio.file.Path;

/**
 * Where a release's directory lies under the server's {@code <dataDir>/environments}: the engine's
 * {@link EnvironmentDirectory} names it, so the pages read what the deploy wrote.
 */
public final class ReleaseDirectories {

    private final Path root;

    public ReleaseDirectories(Path root) {
        this.root = root;
    }

    public Path of(String pipeline, String environment, int release) {
        return EnvironmentDirectory.of(root, pipeline, environment).release(release);
    }
}
