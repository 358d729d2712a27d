package dev.gantry.server.build;

import dev.gantry.server.layout.BuildDirectories;
import dev.gantry.engine.process.ProcessTree;
import dev.gantry.engine.run.TaskKeys;
import dev.gantry.server.ServerLog;
import dev.gantry.store.BatchRow;
import dev.gantry.store.BuildRow;
import dev.gantry.store.StepRow;
import dev.gantry.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a starting server does with builds a previous server left unfinished (it was killed, or the machine went
 * down). The policy, documented in docs/server.md: a build that was queued never started, so it is queued again
 * with its number; a build that was running is not resumed: processes it left are stopped, tasks that were
 * running become {@code errored} ("interrupted"), and so do their steps that were running (a running batch step's
 * row becomes {@code stopped}), tasks that never started {@code cancelled}, and the build {@code errored}. Its
 * logs stay, completed from the log files on disk with the lines the store had not got yet (a live viewer may have
 * seen them). Rebuild it to run it again. Builds of {@code gantry run} (trigger {@code local}) are left alone: they
 * belong to that command, which may be running now.
 */
public final class Recovery {

    public static final String INTERRUPTED = "interrupted: the server stopped while it ran";

    private Recovery() {
    }

    /** Settles every unfinished build; returns the ones to queue again, oldest first. */
    public static List<BuildRow> settle(Store store, Path dataDir, Clock clock, ServerLog log) {
        return settle(store.builds().unfinished(), store, dataDir, clock, log);
    }

    /**
     * Settles {@code unfinished}, the builds a previous server left (read before this one could queue any);
     * returns the ones to queue again, oldest first.
     */
    public static List<BuildRow> settle(List<BuildRow> unfinished, Store store, Path dataDir, Clock clock,
                                        ServerLog log) {
        List<BuildRow> requeue = new java.util.ArrayList<>();
        for (BuildRow b : unfinished) {
            if (b.trigger().equals("local")) {
                continue;
            }
            if (b.status().equals("queued")) {
                requeue.add(b);
                continue;
            }
            ProcessTree.terminate(ProcessTree.Selector.marker("GANTRY_BUILD_ID", b.id()), "TERM",
                    Duration.ofSeconds(5));
            Path logsDir = BuildDirectories.of(dataDir, b).resolve("logs");
            for (BuildRow.TaskRow t : b.tasks()) {
                completeLog(store, logsDir.resolve(TaskKeys.key(t.name()) + ".log"), b, t.name(), log);
            }
            Instant now = clock.instant();
            for (StepRow.OfTask s : store.builds().steps(b.id())) {
                StepRow step = s.step();
                if (step.status().equals("running")) {
                    store.builds().saveStep(b.id(), s.task(), new StepRow(step.seq(), step.name(), "errored",
                            step.startedAt(), Math.max(0, Duration.between(step.startedAt(), now).toMillis()),
                            step.firstLine(), null));
                }
            }
            for (BatchRow batch : store.batches().list(b.id())) {
                if (!batch.hasEnded()) {
                    store.batches().save(b.id(), batch.stopped(INTERRUPTED, batch.histogram(), now));
                }
            }
            List<BuildRow.TaskRow> tasks = b.tasks().stream().map(t -> switch (t.status()) {
                case "running" -> new BuildRow.TaskRow(t.name(), t.job(), "errored", t.attempts(), t.startedAt(), now,
                        t.startedAt() == null ? null : Duration.between(t.startedAt(), now).toMillis(), INTERRUPTED);
                case "queued" -> new BuildRow.TaskRow(t.name(), t.job(), "cancelled", 0, null, null, null,
                        "never started: the server stopped");
                default -> t;
            }).toList();
            store.builds().save(b.withTasks(tasks).withStatus("errored", now));
            log.warn("build " + b.pipeline() + " #" + b.number()
                    + " was running when the server stopped: marked errored",
                    ServerLog.About.build(b.pipeline(), b.number()));
        }
        return requeue;
    }

    private static void completeLog(Store store, Path file, BuildRow b, String task, ServerLog log) {
        try {
            DiskLogs.Completion done = DiskLogs.complete(store.logs(), file, b.id(), task);
            if (done.mismatch() != null) {
                log.warn("build " + b.pipeline() + " #" + b.number() + ": the log of " + task
                        + " was not completed from disk: " + done.mismatch(),
                        ServerLog.About.task(b.pipeline(), b.number(), task));
            } else if (done.appended() > 0) {
                log.info("build " + b.pipeline() + " #" + b.number() + ": " + done.appended() + " lines of " + task
                        + " recovered from its log file", ServerLog.About.task(b.pipeline(), b.number(), task));
            }
        } catch (IOException e) {
            log.warn("build " + b.pipeline() + " #" + b.number() + ": the log of " + task
                    + " could not be completed from disk: " + e.getMessage(),
                    ServerLog.About.task(b.pipeline(), b.number(), task));
        } catch (RuntimeException e) { // the store's message would hold the lines and the statement
            log.warn("build " + b.pipeline() + " #" + b.number() + ": the log of " + task
                    + " could not be completed from disk: the store refused it",
                    ServerLog.About.task(b.pipeline(), b.number(), task));
        }
    }
}
