package dev.gantry.server.build;

import dev.gantry.record.LogHub;
import dev.gantry.store.BuildRow;
import dev.gantry.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Marks a build errored with a {@code setup} task that says why, its message as that task's log: for a pipeline
 * that cannot be read or checked out, and for a build thread that failed. Tasks the build already recorded stay.
 */
final class SetupFailure {

    private SetupFailure() {
    }

    static void record(Store store, LogHub logs, BuildRow row, String message, Instant now) {
        BuildRow current = store.builds().find(row.pipeline(), row.number()).orElse(row);
        List<BuildRow.TaskRow> tasks = new ArrayList<>(current.tasks().stream()
                .filter(t -> !t.name().equals(BuildJob.SETUP_TASK)).toList());
        tasks.add(0, new BuildRow.TaskRow(BuildJob.SETUP_TASK, BuildJob.SETUP_TASK, "errored", 1, now, now, 0L,
                message.lines().findFirst().orElse(message)));
        store.builds().save(current.withStatus("errored", now).withTasks(tasks));
        logs.start(row.id(), BuildJob.SETUP_TASK);
        message.lines().forEach(l -> logs.line(row.id(), BuildJob.SETUP_TASK, l));
        logs.end(row.id(), BuildJob.SETUP_TASK);
    }
}
