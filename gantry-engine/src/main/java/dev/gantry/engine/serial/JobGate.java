package dev.gantry.engine.serial;

import dev.gantry.core.pipeline.JobDef;
import dev.gantry.engine.event.BuildInfo;
import java.util.Optional;

/**
 * Decides whether a build's job may start while other builds run: {@code serial}, {@code serial_groups} and
 * {@code max_in_flight} across builds. {@code gantry run} runs one build and uses {@link #OPEN}; the server shares
 * one {@link SerialGates} between all its builds.
 */
public interface JobGate {

    /** Lets everything in: one build has nothing to wait for. */
    JobGate OPEN = new JobGate() {
        @Override
        public Optional<Pass> tryEnter(BuildInfo build, JobDef job, Runnable wake) {
            return Optional.of(() -> { });
        }

        @Override
        public void buildEnded(BuildInfo build) {
        }
    };

    /**
     * Never blocks: a pass to hold while the task runs, or empty when other builds hold the job's slots, in which
     * case {@code wake} is called once one is given back and trying again may succeed.
     */
    Optional<Pass> tryEnter(BuildInfo build, JobDef job, Runnable wake);

    /** Forgets whatever the build still waits for: it ended (or was cancelled) before it got in. */
    void buildEnded(BuildInfo build);

    /** A job's slot, held by one task of a build; tasks of the same build's job share it. */
    interface Pass extends AutoCloseable {
        @Override
        void close();
    }
}
