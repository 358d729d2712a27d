package dev.gantry.engine.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CacheStore} must do; each implementation's test extends this. Time is a {@link ManualClock} the
 * test moves, so "newest" and "least recently used" are decided by the order the test sets, never by sleeps.
 */
public abstract class CacheStoreContract {

    /** Starts at the real time: stores may compare their own temporary files with it. */
    protected final ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    /** A store that takes its times from {@code clock}. */
    protected abstract CacheStore store(Clock clock) throws Exception;

    private CacheStore store() throws Exception {
        return store(clock);
    }

    /** Writes the text and closes the stream, as a compressing writer does. */
    private static CacheStore.Writer text(String s) {
        return out -> {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.close();
        };
    }

    private static String read(CacheStore store, String key) throws IOException {
        try (var in = store.open(key)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void keysAreImmutable() throws Exception {
        CacheStore s = store();
        assertThat(s.save("deps-v1-abc", text("first"))).contains(5L);
        assertThat(s.save("deps-v1-abc", text("second"))).isEmpty();
        assertThat(read(s, "deps-v1-abc")).isEqualTo("first");
    }

    @Test
    void prefixFindsTheNewestMatch() throws Exception {
        CacheStore s = store();
        s.save("deps-v1-main-bbb", text("old"));
        clock.advance(Duration.ofMinutes(1));
        s.save("deps-v1-main-aaa", text("new"));
        clock.advance(Duration.ofMinutes(1));
        s.save("other-v1", text("x"));
        assertThat(s.newestWithPrefix("deps-v1-")).as("newest by time, not by name").contains("deps-v1-main-aaa");
        assertThat(s.newestWithPrefix("deps-v2-")).isEmpty();
    }

    @Test
    void aFailedSaveLeavesNoEntry() throws Exception {
        CacheStore s = store();
        assertThatThrownBy(() -> s.save("half", out -> {
            out.write(new byte[1000]);
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(s.contains("half")).isFalse();
        assertThat(s.newestWithPrefix("ha")).isEmpty();
    }

    @Test
    void evictsTheLeastRecentlyUsedFirst() throws Exception {
        CacheStore s = store();
        s.save("a", out -> out.write(new byte[100]));
        clock.advance(Duration.ofMinutes(1));
        s.save("b", out -> out.write(new byte[100]));
        clock.advance(Duration.ofMinutes(1));
        s.save("c", out -> out.write(new byte[100]));
        clock.advance(Duration.ofMinutes(1));
        s.open("a").close();
        s.evictToFit(250);
        assertThat(s.contains("b")).as("b was used least recently").isFalse();
        assertThat(s.contains("a")).isTrue();
        assertThat(s.contains("c")).isTrue();
        assertThat(Optional.of(s.size("a"))).contains(100L);
    }
}
