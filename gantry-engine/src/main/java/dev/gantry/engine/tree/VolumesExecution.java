package dev.gantry.engine.tree;

import dev.gantry.core.pipeline.VolumeDef;
import dev.gantry.engine.run.Outcome;
import dev.gantry.engine.workspace.VolumeLocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Mounts named volumes into the working copy as symbolic links to their directories under
 * {@code $GANTRY_VOLUMES_DIR} (else {@code ~/.cache/gantry/volumes}), holding each volume's lock (shared when
 * read-only, exclusive otherwise) while the child runs.
 */
record VolumesExecution(List<VolumeDef> volumes, Execution child) implements Execution {

    @Override
    public Outcome execute(TaskScope scope) {
        List<VolumeLocks.Handle> held = new ArrayList<>();
        List<Path> links = new ArrayList<>();
        try {
            Path root = root(scope.environment());
            for (VolumeDef v : volumes) {
                Path dir = Files.createDirectories(root.resolve(v.name()));
                Path link = scope.workingDirectory().resolve(v.path()).normalize();
                if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                    return Outcome.errored("volume " + v.name() + " cannot be mounted at " + v.path()
                            + ": the working copy already has something there");
                }
                scope.output("waiting for volume " + v.name() + (v.readOnly() ? " (shared)" : " (exclusive)"));
                held.add(VolumeLocks.acquire(root.resolve(v.name() + ".lock"), !v.readOnly()));
                Files.createDirectories(link.getParent());
                Files.createSymbolicLink(link, dir);
                links.add(link);
                scope.output("mounted volume " + v.name() + " at " + v.path());
            }
            return child.execute(scope);
        } catch (IOException e) {
            return Outcome.errored("cannot mount volumes: " + e.getMessage());
        } finally {
            for (Path link : links) {
                try {
                    Files.deleteIfExists(link);
                } catch (IOException e) {
                    // the working copy is removed with the task anyway
                }
            }
            for (int i = held.size() - 1; i >= 0; i--) {
                try {
                    held.get(i).close();
                } catch (IOException e) {
                    // closing the channel releases the lock in any case
                }
            }
        }
    }

    private static Path root(Map<String, String> env) {
        String dir = env.get("GANTRY_VOLUMES_DIR");
        return dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".cache", "gantry", "volumes");
    }
}
