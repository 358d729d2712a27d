package dev.gantry.record;

import dev.gantry.engine.notify.PreviousBuilds;
import dev.gantry.engine.run.TaskState;
import dev.gantry.store.BuildRepository;
import dev.gantry.store.BuildRow;
import java.util.Arrays;
import java.util.Optional;

/**
 * The previous build's outcome read from the store, for {@code build_failed} and {@code build_fixed}: the newest
 * ended build of the same pipeline and branch, cancelled ones skipped. Shared by {@code gantry run} and the server.
 */
public final class StorePreviousBuilds implements PreviousBuilds {

    /** How many cancelled builds in a row are skipped before the history is treated as empty. */
    private static final int MAX_SKIPPED = 50;

    private final BuildRepository builds;

    public StorePreviousBuilds(BuildRepository builds) {
        this.builds = builds;
    }

    @Override
    public Optional<TaskState> previous(String pipeline, String branch, long before) {
        long below = before;
        for (int i = 0; i <= MAX_SKIPPED; i++) {
            Optional<BuildRow> row = builds.previousOnBranch(pipeline, branch, below);
            if (row.isEmpty()) {
                return Optional.empty();
            }
            Optional<TaskState> state = stateOf(row.get().status());
            if (state.isPresent() && state.get() != TaskState.CANCELLED) {
                return state;
            }
            below = row.get().number();
        }
        return Optional.empty();
    }

    /** A stored status ({@code failed}, {@code timed out}: {@link TaskState#label()}) as a state. */
    static Optional<TaskState> stateOf(String status) {
        return Arrays.stream(TaskState.values()).filter(s -> s.label().equals(status)).findFirst();
    }
}
