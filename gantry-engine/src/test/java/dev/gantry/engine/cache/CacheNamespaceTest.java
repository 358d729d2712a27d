package dev.gantry.engine.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheNamespaceTest {

    @TempDir
    Path dir;

    private static CacheStore.Writer text(String s) {
        return out -> out.write(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void pipelinesWhoseNamesArePrefixesOfEachOtherDoNotSeeEachOthersCaches() throws Exception {
        CacheStore store = new LocalCacheStore(dir, Clock.systemUTC());
        CacheStore a = CacheNamespace.pipeline("app").view(store);
        CacheStore b = CacheNamespace.pipeline("app/deps").view(store);
        a.save("deps/x", text("a"));
        assertThat(b.newestWithPrefix("")).isEmpty();
        assertThat(b.contains("x")).isFalse();
        assertThat(CacheNamespace.SHARED.view(store).newestWithPrefix("")).isEmpty();
        assertThat(a.newestWithPrefix("deps/")).contains("deps/x");
    }

    @Test
    void aVeryLongPipelineNameStillMakesAStorableKey() throws Exception {
        CacheStore store = new LocalCacheStore(dir, Clock.systemUTC());
        String longName = "ü".repeat(300);
        CacheStore view = CacheNamespace.pipeline(longName).view(store);
        assertThat(view.save("deps-v1", text("x"))).isPresent();
        assertThat(view.newestWithPrefix("deps-")).contains("deps-v1");
        assertThat(CacheNamespace.pipeline(longName + "2").view(store).contains("deps-v1")).isFalse();
    }
}
