package dev.gantry.store;

import java.util.List;
import java.util.Optional;

/** Builds and their tasks. Every implementation passes {@code BuildRepositoryContract}. */
public interface BuildRepository {

    /**
     * Inserts the build, or updates what was stored for its id (a running build is saved again as tasks end):
     * its status, end and tasks change (a row with no tasks leaves the stored tasks alone); its logs stay.
     */
    void save(BuildRow build);

    /** Updates one task of a saved build, found by name: a task ending costs one row, not the whole build. */
    void saveTask(String buildId, BuildRow.TaskRow task);

    /** Inserts or replaces one step of a task, found by its sequence number within the task. */
    void saveStep(String buildId, String task, StepRow step);

    /** Every step of the build, by task, in order. */
    List<StepRow.OfTask> steps(String buildId);

    /** The number the pipeline's next build takes: one more than the highest stored. */
    long nextNumber(String pipeline);

    /** How many builds {@link #list} would page through. */
    long count(String pipeline, String status);

    /** Builds that never ended (queued or running), oldest first: what a restarted server must settle. */
    List<BuildRow> unfinished();

    Optional<BuildRow> find(String pipeline, long number);

    /**
     * The newest build of the pipeline's {@code branch} numbered below {@code beforeNumber} that has ended (whatever
     * its final status), skipping builds still queued or running: what a build is compared with to notify
     * {@code build_failed} and {@code build_fixed} on transitions only. Empty for a null branch (a tag build has no
     * branch to compare along) and when the branch has no earlier ended build.
     */
    Optional<BuildRow> previousOnBranch(String pipeline, String branch, long beforeNumber);

    /** The newest builds first, optionally of one pipeline and status; {@code offset} and {@code limit} page. */
    List<BuildRow> list(String pipeline, String status, int offset, int limit);

    /** What retention needs of each of the pipeline's builds, the newest first. */
    List<Keeping> keeping(String pipeline);

    /** What retention knows of one build; empty when there is no such build. */
    Optional<Keeping> keepingOf(String buildId);

    /** Pins or unpins a build (a pinned build's data is never removed); false when there is no such build. */
    boolean pin(String buildId, boolean pinned);

    /** Records that the build's logs, artifacts and telemetry were removed at {@code at}. */
    void markPruned(String buildId, java.time.Instant at);
}
