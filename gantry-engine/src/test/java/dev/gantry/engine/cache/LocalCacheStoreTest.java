package dev.gantry.engine.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCacheStoreTest extends CacheStoreContract {

    @TempDir
    Path dir;

    @Override
    protected CacheStore store(Clock clock) throws Exception {
        return new LocalCacheStore(dir, clock);
    }

    /** Saves 1 MiB, then hangs, so the test can kill it midway. */
    public static final class SlowSave {
        public static void main(String[] args) throws Exception {
            new LocalCacheStore(Path.of(args[0])).save("killed-key", out -> {
                out.write(new byte[1 << 20]);
                out.flush();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    @Test
    void aSaveKilledMidwayLeavesNoEntry() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SlowSave.class.getName(),
                dir.toString()).inheritIO().start();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (Stream<Path> files = Files.list(dir)) {
                return files.anyMatch(f -> f.getFileName().toString().startsWith(".tmp-")
                        && f.toFile().length() >= 1 << 20);
            }
        });
        p.destroyForcibly();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        CacheStore store = new LocalCacheStore(dir);
        assertThat(store.contains("killed-key")).isFalse();
        assertThat(store.newestWithPrefix("killed")).isEmpty();
    }
}
