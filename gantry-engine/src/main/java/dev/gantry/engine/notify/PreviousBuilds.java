package dev.gantry.engine.notify;

import dev.gantry.engine.run.TaskState;
import java.util.Optional;

/**
 * The outcome of the build before this one, which {@code build_failed} and {@code build_fixed} compare with (they
 * are sent on changes only). Implemented over the store where the store is reachable ({@code gantry-record}).
 */
@FunctionalInterface
public interface PreviousBuilds {

    /**
     * The state of the newest build of {@code pipeline} on {@code branch} numbered below {@code before} that has
     * finished and was not cancelled (a cancelled build says nothing about the code), or empty when there is none.
     * Empty when {@code branch} is null (a tag build has no branch to compare along): its failure is always sent,
     * and it is never a fix.
     */
    Optional<TaskState> previous(String pipeline, String branch, long before);

    /** For a place with no history: every failure is news, and nothing is ever fixed. */
    PreviousBuilds NONE = (pipeline, branch, before) -> Optional.empty();
}
