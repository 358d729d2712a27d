package dev.gantry.record;

import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import dev.gantry.store.BuildRow;
import dev.gantry.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogHubTest {

    private final Store store = Store.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null);
    private final GatedLogs gated = new GatedLogs(store.logs());
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final LogHub hub = new LogHub(gated, warnings::add);

    LogHubTest() {
        store.builds().save(new BuildRow("b", "p", 1, "gantry.yml", "d", null, null, null, null, null, "local",
                "running", Instant.now(), null, List.of()));
        hub.start("b", "t");
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aWatcherGetsEveryLineOnceWhateverWasWrittenWhenItStarted() throws Exception {
        int n = LogHub.CHUNK_LINES + 50;
        for (int i = 0; i < n; i++) {
            hub.line("b", "t", "l" + i);
        }
        LogHub.Watch watch = hub.watch("b", "t");
        assertThat(watch.stored()).isEqualTo(LogHub.CHUNK_LINES);
        assertThat(watch.pending()).extracting(LogHub.Line::number).startsWith((long) LogHub.CHUNK_LINES)
                .endsWith(n - 1L);
        hub.line("b", "t", "l" + n);
        hub.end("b", "t");

        List<String> seen = new ArrayList<>(store.logs().lines("b", "t", 0, (int) watch.stored()));
        watch.pending().forEach(l -> seen.add(l.text()));
        LogHub.Line next = watch.next().poll(1, TimeUnit.SECONDS);
        assertThat(next.number()).isEqualTo(n);
        seen.add(next.text());
        assertThat(watch.next().poll(1, TimeUnit.SECONDS).isEnd()).isTrue();
        for (int i = 0; i <= n; i++) {
            assertThat(seen.get(i)).isEqualTo("l" + i);
        }
        assertThat(seen).hasSize(n + 1);
        assertThat(store.logs().lineCount("b", "t")).isEqualTo(n + 1);
    }

    @Test
    void longLinesAreWrittenByVolumeNotOnlyByCount() {
        String wide = "x".repeat(LogHub.CHUNK_BYTES / 4);
        for (int i = 0; i < 4; i++) {
            hub.line("b", "t", wide);
        }
        assertThat(store.logs().lineCount("b", "t")).as("4 lines of a quarter chunk each fill one").isEqualTo(4);
    }

    @Test
    void flushingWritesPendingLinesSoACrashLosesNoMoreThanOnePeriod() {
        hub.line("b", "t", "only line");
        assertThat(store.logs().lineCount("b", "t")).isZero();
        hub.flushAll();
        assertThat(store.logs().lines("b", "t", 0, 10)).containsExactly("only line");
        hub.line("b", "t", "second");
        hub.end("b", "t");
        assertThat(store.logs().lines("b", "t", 0, 10)).containsExactly("only line", "second");
        assertThat(hub.watch("b", "t").ended()).isTrue();
    }

    @Test
    void aLineThatArrivesWhileTheTaskEndsIsWrittenNotLost() throws Exception {
        for (int i = 0; i < LogHub.CHUNK_LINES - 1; i++) {
            hub.line("b", "t", "l" + i);
        }
        gated.holdNextAppend();
        Thread filler = started(() -> hub.line("b", "t", "fills the chunk"));
        gated.awaitHeld(); // a chunk is on its way into the store
        Thread racer = started(() -> hub.line("b", "t", "racing line"));
        awaitParkedOrDone(racer);
        Thread ender = started(() -> hub.end("b", "t"));
        awaitParkedOrDone(ender);
        gated.release();
        for (Thread t : List.of(filler, racer, ender)) {
            t.join();
        }

        List<String> stored = store.logs().lines("b", "t", 0, LogHub.CHUNK_LINES + 10);
        assertThat(stored).hasSize(LogHub.CHUNK_LINES + 1).containsOnlyOnce("racing line")
                .endsWith("fills the chunk", "racing line");
        assertThat(hub.watch("b", "t").ended()).isTrue();
        assertThat(warnings).isEmpty();
    }

    @Test
    void aLineAfterTheEndIsWrittenAndDoesNotReopenTheLog() throws Exception {
        LogHub.Watch watching = hub.watch("b", "t");
        hub.line("b", "t", "last", 1_764_567_890_123L);
        hub.end("b", "t");
        hub.line("b", "t", "late: a background process that outlived its task");

        assertThat(watching.next().poll(1, TimeUnit.MINUTES)).isEqualTo(new LogHub.Line(0, "last", 1_764_567_890_123L));
        assertThat(watching.next().poll(1, TimeUnit.MINUTES).isEnd()).isTrue();
        LogHub.Watch after = hub.watch("b", "t");
        assertThat(after.ended()).as("a watcher that comes now is told the log ended (an SSE stream closes)")
                .isTrue();
        assertThat(after.pending()).isEmpty();
        assertThat(store.logs().lines("b", "t", 0, 10))
                .containsExactly("last", "late: a background process that outlived its task");
        assertThat(store.logs().timedLines("b", "t", 0, 1).get(0).at())
                .as("each line keeps when it was printed").isEqualTo(java.time.Instant.ofEpochMilli(1_764_567_890_123L));
    }

    @Test
    void aFlushThatFailsOnceDoesNotStopTheLaterOnes() throws Exception {
        gated.failNextAppend();
        try (AutoCloseable flushing = hub.flushEvery(Duration.ofMillis(10))) {
            hub.line("b", "t", "first");
            await().atMost(Duration.ofMinutes(1)).until(() -> store.logs().lineCount("b", "t") == 1);
            hub.line("b", "t", "second");
            await().atMost(Duration.ofMinutes(1)).until(() -> store.logs().lineCount("b", "t") == 2);
        }
        assertThat(store.logs().lines("b", "t", 0, 10)).containsExactly("first", "second");
        assertThat(warnings).singleElement().asString().contains("away for a moment");
    }

    @Test
    void anEndWhoseWriteFailsStillEndsItsWatchersAndTheNextFlushWritesTheLines() throws Exception {
        LogHub.Watch watching = hub.watch("b", "t");
        hub.line("b", "t", "kept");
        gated.failNextAppend();
        hub.end("b", "t");

        assertThat(watching.next().poll(1, TimeUnit.MINUTES).text()).isEqualTo("kept");
        assertThat(watching.next().poll(1, TimeUnit.MINUTES).isEnd()).isTrue();
        LogHub.Watch meanwhile = hub.watch("b", "t");
        assertThat(meanwhile.ended()).isTrue();
        assertThat(meanwhile.pending()).extracting(LogHub.Line::text).containsExactly("kept");
        hub.flushAll();
        assertThat(store.logs().lines("b", "t", 0, 10)).containsExactly("kept");
        assertThat(hub.watch("b", "t").pending()).isEmpty();
    }

    private static Thread started(Runnable r) {
        Thread t = new Thread(r);
        t.start();
        return t;
    }

    /** Waits until the thread has run as far as it can without the others: parked on a lock, or done. */
    private static void awaitParkedOrDone(Thread t) {
        await().atMost(Duration.ofMinutes(1)).until(() -> Set.of(Thread.State.BLOCKED, Thread.State.WAITING,
                Thread.State.TIMED_WAITING, Thread.State.TERMINATED).contains(t.getState()));
    }
}
