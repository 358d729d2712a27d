package dev.gantry.server.deploy;

import dev.gantry.core.plan.TaskNames;
import java.nio.file.Path;

/** Where a release's directory lies under the server's {@code <dataDir>/environments}. */
public final class ReleaseDirectories {

    private final Path root;

    public ReleaseDirectories(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path of(String pipeline, String environment, int release) {
        return root.resolve(TaskNames.key(pipeline)).resolve(TaskNames.key(environment)).resolve("releases")
                .resolve(Integer.toString(release));
    }
}
