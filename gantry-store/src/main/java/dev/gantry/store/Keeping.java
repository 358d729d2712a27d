package dev.gantry.store;

import java.time.Instant;

/**
 * What retention needs to know of a build: its age, whether it has ended, whether it is pinned, and when its logs,
 * artifacts and telemetry were removed.
 *
 * @param prunedAt null while its data is kept
 */
public record Keeping(String id, String pipeline, long number, Instant startedAt, boolean ended, boolean pinned,
                      Instant prunedAt) {

    public boolean pruned() {
        return prunedAt != null;
    }
}
