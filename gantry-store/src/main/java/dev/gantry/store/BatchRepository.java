package dev.gantry.store;

import java.util.List;

/**
 * The batch steps of builds, where each stands or how it ended: saved as their progress events come (a row per
 * build, task and step, replaced each time) and read per build. Every implementation passes the batch cases of
 * {@code StoreContract}.
 */
public interface BatchRepository {

    /** Inserts the step's row, or replaces the one stored for its build, task and step. */
    void save(String buildId, BatchRow batch);

    /** The build's batch steps, by task and step name. */
    List<BatchRow> list(String buildId);
}
