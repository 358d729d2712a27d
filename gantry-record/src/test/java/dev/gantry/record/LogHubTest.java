package dev.gantry.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.store.BuildRow;
import dev.gantry.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogHubTest {

    private final Store store = Store.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null);
    private final LogHub hub = new LogHub(store.logs());

    LogHubTest() {
        store.builds().save(new BuildRow("b", "p", 1, "gantry.yml", "d", null, null, null, null, null, "local",
                "running", Instant.now(), null, List.of()));
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
}
