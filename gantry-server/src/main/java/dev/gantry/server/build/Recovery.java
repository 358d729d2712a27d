package dev.gantry.server.build;

import dev.gantry.engine.process.ProcessTree;
import dev.gantry.server.ServerLog;
import dev.gantry.store.BuildRow;
import dev.gantry.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * What a starting server does with builds a previous server left unfinished (it was killed, or the machine went
 * down). The policy, documented in docs/server.md: a build that was queued never started, so it is queued again
 * with its number; a build that was running is not resumed: processes it left are stopped, tasks that were
 * running become {@code errored} ("interrupted"), tasks that never started {@code cancelled}, and the build
 * {@code errored}. Its logs, as far as they were written, stay. Rebuild it to run it again. Builds of
 * {@code gantry run} (trigger {@code local}) are left alone: they belong to that command, which may be running now.
 */
public final class Recovery {

    public static final String INTERRUPTED = "interrupted: the server stopped while it ran";

    private Recovery() {
    }

    /** Settles every unfinished build; returns the ones to queue again, oldest first. */
    public static List<BuildRow> settle(Store store, Clock clock, ServerLog log) {
        List<BuildRow> requeue = new java.util.ArrayList<>();
        for (BuildRow b : store.builds().unfinished()) {
            if (b.trigger().equals("local")) {
                continue;
            }
            if (b.status().equals("queued")) {
                requeue.add(b);
                continue;
            }
            ProcessTree.terminate(ProcessTree.Selector.marker("GANTRY_BUILD_ID", b.id()), "TERM",
                    Duration.ofSeconds(5));
            java.time.Instant now = clock.instant();
            List<BuildRow.TaskRow> tasks = b.tasks().stream().map(t -> switch (t.status()) {
                case "running" -> new BuildRow.TaskRow(t.name(), t.job(), "errored", t.attempts(), t.startedAt(), now,
                        t.startedAt() == null ? null : Duration.between(t.startedAt(), now).toMillis(), INTERRUPTED);
                case "queued" -> new BuildRow.TaskRow(t.name(), t.job(), "cancelled", 0, null, null, null,
                        "never started: the server stopped");
                default -> t;
            }).toList();
            store.builds().save(b.withTasks(tasks).withStatus("errored", now));
            log.warn("build " + b.pipeline() + " #" + b.number()
                    + " was running when the server stopped: marked errored");
        }
        return requeue;
    }
}
