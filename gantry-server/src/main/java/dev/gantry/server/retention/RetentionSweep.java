package dev.gantry.server.retention;

import dev.gantry.core.pipeline.Retention;
import dev.gantry.core.pipeline.Sizes;
import dev.gantry.record.Failures;
import dev.gantry.server.ServerLog;
import dev.gantry.store.Keeping;
import dev.gantry.store.Store;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Applies each pipeline's retention (its own {@code retention:}, key by key over the server's {@code --keep-builds}
 * and {@code --keep-days}): the data of builds past it goes, and what went is logged. It runs after each build ends
 * and on a timer, for limits in days.
 */
public final class RetentionSweep {

    private final Store store;
    private final BuildPruner pruner;
    private final Retention defaults;
    private final ServerLog log;
    private final Clock clock;

    public RetentionSweep(Store store, BuildPruner pruner, Retention defaults, ServerLog log, Clock clock) {
        this.store = store;
        this.pruner = pruner;
        this.defaults = defaults;
        this.log = log;
        this.clock = clock;
    }

    /** The retention that applies to the pipeline now. */
    public Retention of(String pipeline) {
        return store.pipelines().retention(pipeline).orElse(defaults);
    }

    /** Removes the data of the pipeline's builds past its retention; returns how many builds lost theirs. */
    public synchronized int sweep(String pipeline) {
        Retention retention = of(pipeline);
        if (retention.keepsForever()) {
            return 0;
        }
        List<Keeping> builds = store.builds().keeping(pipeline);
        Set<Long> live = pruner.liveReleaseBuilds(pipeline);
        Instant now = clock.instant();
        List<String> removed = new ArrayList<>();
        long freed = 0;
        for (int newer = 0; newer < builds.size(); newer++) {
            Keeping b = builds.get(newer);
            if (BuildPruner.expendable(b, live) && retention.expires(newer, b.startedAt(), now)) {
                try {
                    freed += pruner.prune(b);
                    removed.add("#" + b.number());
                } catch (IOException | RuntimeException e) {
                    log.warn("retention: could not remove the data of " + pipeline + " #" + b.number() + ": "
                            + Failures.describe(e), ServerLog.About.build(pipeline, b.number()));
                }
            }
        }
        if (!removed.isEmpty()) {
            log.info("retention: removed the logs, artifacts and telemetry of " + pipeline + " "
                    + String.join(", ", removed) + " (" + Sizes.format(freed) + " on disk; keeps " + retention
                    + ", pinned builds and those of live releases)", ServerLog.About.pipeline(pipeline));
        }
        return removed.size();
    }

    /** Sweeps every pipeline; one that fails is logged and the others still swept. */
    public void sweepAll() {
        List<dev.gantry.store.PipelineRow> pipelines;
        try {
            pipelines = store.pipelines().list();
        } catch (RuntimeException e) {
            log.warn("retention: cannot list the pipelines: " + Failures.describe(e));
            return; // the timer calls again
        }
        for (var p : pipelines) {
            try {
                sweep(p.name());
            } catch (RuntimeException e) {
                log.warn("retention: sweeping " + p.name() + " failed: " + Failures.describe(e),
                        ServerLog.About.pipeline(p.name()));
            }
        }
    }
}
