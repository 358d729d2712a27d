package dev.gantry.server.ui;

import dev.gantry.server.trends.History;
import dev.gantry.store.BuildRow;
import dev.gantry.store.Store;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Each pipeline's trends, made again only when its last builds changed: a build queued, started, ended, or one of
 * its tasks ended. The caller reads the last builds (the page lists them anyway); the tests, the shard timings on
 * disk and the charts are what the cache saves.
 */
final class TrendsCache {

    private static final int PIPELINES = 64;

    private record Entry(String key, Trends.View view) {
    }

    private final Store store;
    private final Path dataDir;
    private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > PIPELINES;
        }
    };

    TrendsCache(Store store, Path dataDir) {
        this.store = store;
        this.dataDir = dataDir;
    }

    /** @param newestFirst the pipeline's last {@link History#WINDOW} builds, the newest first, as the store lists them */
    Trends.View of(String pipeline, List<BuildRow> newestFirst) {
        String key = newestFirst.stream().map(TrendsCache::state).collect(Collectors.joining(","));
        synchronized (entries) {
            Entry e = entries.get(pipeline);
            if (e != null && e.key().equals(key)) {
                return e.view();
            }
        }
        Trends.View view = Trends.of(History.of(newestFirst, store), dataDir);
        synchronized (entries) {
            entries.put(pipeline, new Entry(key, view));
        }
        return view;
    }

    /** What the trends read of a build that can change. */
    private static String state(BuildRow b) {
        return b.id() + ":" + b.status() + ":" + b.finishedAt() + ":"
                + b.tasks().stream().filter(t -> t.finishedAt() != null).count();
    }
}
