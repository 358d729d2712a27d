package dev.gantry.engine.tree;

import dev.gantry.core.pipeline.VolumeDef;
import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.run.Outcome;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.workspace.VolumeLocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Mounts named volumes into the working copy as symbolic links to their directories under
 * {@code $GANTRY_VOLUMES_DIR} (else {@code ~/.cache/gantry/volumes}), holding each volume's lock (shared when
 * read-only, exclusive otherwise) while the child runs. Locks are taken in {@link VolumeLocks#ORDER} whatever the
 * order of declaration, and a cancellation or timeout ends the wait.
 */
record VolumesExecution(List<VolumeDef> volumes, Execution child) implements Execution {

    @Override
    public Outcome execute(TaskScope scope) {
        List<VolumeLocks.Handle> held = new ArrayList<>();
        List<Path> links = new ArrayList<>();
        try {
            Path root = root(scope.environment());
            for (VolumeDef v : volumes) {
                Path link = scope.workingDirectory().resolve(v.path()).normalize();
                if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                    return Outcome.errored("volume " + v.name() + " cannot be mounted at " + v.path()
                            + ": the working copy already has something there");
                }
            }
            // one global order for every task, so two tasks that share volumes never wait on each other
            List<VolumeDef> byLock = volumes.stream()
                    .sorted(Comparator.comparing(v -> lockFile(root, v), VolumeLocks.ORDER)).toList();
            for (VolumeDef v : byLock) {
                Files.createDirectories(root.resolve(v.name()));
                scope.output("waiting for volume " + v.name() + (v.readOnly() ? " (shared)" : " (exclusive)"));
                Optional<VolumeLocks.Handle> lock = VolumeLocks.acquire(lockFile(root, v), !v.readOnly(),
                        scope.cancellation());
                if (lock.isEmpty()) {
                    return stopped(scope, v);
                }
                held.add(lock.get());
            }
            for (VolumeDef v : volumes) {
                Path link = scope.workingDirectory().resolve(v.path()).normalize();
                Files.createDirectories(link.getParent());
                Files.createSymbolicLink(link, root.resolve(v.name()));
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

    private static Path lockFile(Path root, VolumeDef v) {
        return root.resolve(v.name() + ".lock");
    }

    /** The outcome of a task stopped while it waited for {@code v}: timed out or cancelled, as it was stopped. */
    private static Outcome stopped(TaskScope scope, VolumeDef v) {
        Cancellation c = scope.cancellation();
        TaskState state = c.reason() == Cancellation.Reason.TIMED_OUT ? TaskState.TIMED_OUT : TaskState.CANCELLED;
        String why = c.message() != null ? c.message() : "interrupted";
        return new Outcome(state, -1, why + " (while waiting for volume " + v.name() + ")");
    }

    private static Path root(Map<String, String> env) {
        return dev.gantry.engine.workspace.VolumeLocks.root(env);
    }
}
