package dev.gantry.engine.cache;

import dev.gantry.core.pipeline.Sizes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Where a task's caches live and how big they may grow, from its environment. */
public final class Caches {

    /** Default total size of the local cache directory. */
    public static final long DEFAULT_LIMIT = 10L * 1024 * 1024 * 1024;

    private Caches() {
    }

    /** {@code $GANTRY_CACHE_DIR}, else {@code ~/.cache/gantry/caches}. */
    public static CacheStore store(Map<String, String> env) throws IOException {
        return new LocalCacheStore(directory(env));
    }

    /** Where {@link #store} keeps its caches. */
    public static Path directory(Map<String, String> env) {
        String dir = env.get("GANTRY_CACHE_DIR");
        return dir != null && !dir.isBlank() ? Path.of(dir)
                : home(env).resolve(".cache").resolve("gantry").resolve("caches");
    }

    /** {@code $GANTRY_CACHE_LIMIT} (e.g. 20g), else 10 GiB. */
    public static long limit(Map<String, String> env) {
        String l = env.get("GANTRY_CACHE_LIMIT");
        return l == null ? DEFAULT_LIMIT : Sizes.parse(l).orElse(DEFAULT_LIMIT);
    }

    public static Path home(Map<String, String> env) {
        return Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
    }
}
