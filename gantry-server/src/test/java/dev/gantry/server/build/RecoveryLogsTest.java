package dev.gantry.server.build;

import dev.gantry.server.layout.BuildDirectories;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.run.TaskKeys;
import dev.gantry.server.ServerLog;
import dev.gantry.store.BuildRow;
import dev.gantry.store.StepRow;
import dev.gantry.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a server killed with SIGKILL leaves, built by hand: the store has a task's log up to its last chunk and
 * its step still {@code running}, the task's log file on disk has more lines (a live viewer saw them). Recovery
 * must lose none of them and leave nothing running.
 */
class RecoveryLogsTest {

    private static final Instant STARTED = Instant.parse("2024-05-01T10:00:00Z");
    private static final Instant RESTARTED = STARTED.plusSeconds(60);

    @TempDir
    Path data;

    private final Store store = Store.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null);
    private final ByteArrayOutputStream serverLog = new ByteArrayOutputStream();

    @AfterEach
    void close() {
        store.close();
    }

    private static List<String> lines(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "line " + i).toList();
    }

    /** A running build of task {@code long[shard]} (its step {@code run} running), {@code stored} lines stored. */
    private void crashedBuild(List<String> stored) {
        store.builds().save(new BuildRow("b1", "p", 1, "gantry.yml", "d", "abc", "main", null, null, null, "poll",
                "running", STARTED, null, List.of(
                        new BuildRow.TaskRow("long[1]", "long", "running", 1, STARTED, null, null, null),
                        new BuildRow.TaskRow("after", "after", "queued", 0, null, null, null, null))));
        store.builds().saveStep("b1", "long[1]", new StepRow(0, "checkout", "succeeded", STARTED, 5L));
        store.builds().saveStep("b1", "long[1]", new StepRow(1, "run", "running", STARTED.plusSeconds(1), null));
        StringBuilder chunk = new StringBuilder();
        stored.forEach(l -> chunk.append(l).append('\n'));
        store.logs().append("b1", "long[1]", chunk.toString());
    }

    private Path logFile(String task) throws Exception {
        Path file = BuildDirectories.of(data, "b1").resolve("logs").resolve(TaskKeys.key(task) + ".log");
        Files.createDirectories(file.getParent());
        return file;
    }

    private List<BuildRow> settle() {
        return Recovery.settle(store, data, Clock.fixed(RESTARTED, ZoneOffset.UTC),
                new ServerLog(new PrintStream(serverLog, true, StandardCharsets.UTF_8), Clock.systemUTC()));
    }

    @Test
    void linesOnDiskBeyondTheStoredOnesAreAddedAndRunningStepsEndErrored() throws Exception {
        crashedBuild(lines(1, 108));
        StringBuilder disk = new StringBuilder("--- step: checkout\n--- step checkout: succeeded in 5ms\n"
                + "--- step: run\n");
        lines(1, 110).forEach(l -> disk.append(l).append('\n'));
        disk.append("line 111 cut sh"); // the kill came mid-write
        Files.writeString(logFile("long[1]"), disk);

        assertThat(settle()).isEmpty();

        assertThat(store.logs().lines("b1", "long[1]", 0, 1000)).as("lines 109 and 110 a viewer saw are kept")
                .containsExactlyElementsOf(lines(1, 110));
        assertThat(store.builds().steps("b1")).extracting(StepRow.OfTask::step).containsExactly(
                new StepRow(0, "checkout", "succeeded", STARTED, 5L),
                new StepRow(1, "run", "errored", STARTED.plusSeconds(1), 59_000L));
        BuildRow b = store.builds().find("p", 1).orElseThrow();
        assertThat(b.status()).isEqualTo("errored");
        assertThat(b.finishedAt()).isEqualTo(RESTARTED);
        assertThat(b.tasks()).extracting(BuildRow.TaskRow::status).containsExactly("errored", "cancelled");
        assertThat(b.tasks().get(0).reason()).contains("interrupted");
        assertThat(serverLog.toString(StandardCharsets.UTF_8)).contains("2 lines of long[1] recovered");
    }

    @Test
    void aLineLikeTheEnginesOwnIsMatchedAgainstTheStoreNotDropped() throws Exception {
        crashedBuild(List.of("--- step: printed by the task itself", "line 2"));
        Files.writeString(logFile("long[1]"), "--- step: run\n--- step: printed by the task itself\nline 2\nline 3\n");

        settle();

        assertThat(store.logs().lines("b1", "long[1]", 0, 10))
                .containsExactly("--- step: printed by the task itself", "line 2", "line 3");
    }

    @Test
    void aLogFileThatDisagreesWithTheStoreAddsNothing() throws Exception {
        crashedBuild(lines(1, 3));
        Files.writeString(logFile("long[1]"), "line 1\nsomething else\nline 3\nline 4\n");

        settle();

        assertThat(store.logs().lines("b1", "long[1]", 0, 10)).containsExactlyElementsOf(lines(1, 3));
        assertThat(serverLog.toString(StandardCharsets.UTF_8)).contains("was not completed from disk",
                "line 2 of the stored log");
        assertThat(store.builds().find("p", 1).orElseThrow().status()).isEqualTo("errored");
    }
}
