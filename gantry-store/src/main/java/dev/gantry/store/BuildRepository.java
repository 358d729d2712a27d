package dev.gantry.store;

import java.util.List;
import java.util.Optional;

/** Builds and their tasks. Every implementation passes {@code BuildRepositoryContract}. */
public interface BuildRepository {

    /**
     * Inserts the build, or updates what was stored for its id (a running build is saved again as tasks end):
     * its status, end and tasks change; its logs stay.
     */
    void save(BuildRow build);

    /** Updates one task of a saved build, found by name: a task ending costs one row, not the whole build. */
    void saveTask(String buildId, BuildRow.TaskRow task);

    Optional<BuildRow> find(String pipeline, long number);

    /** The newest builds first, optionally of one pipeline and status; {@code offset} and {@code limit} page. */
    List<BuildRow> list(String pipeline, String status, int offset, int limit);
}
