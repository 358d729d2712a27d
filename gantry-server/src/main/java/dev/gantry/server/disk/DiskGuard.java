package dev.gantry.server.disk;

import dev.gantry.core.pipeline.Sizes;
import dev.gantry.engine.cache.LocalCacheStore;
import dev.gantry.engine.workspace.Directories;
import dev.gantry.server.ServerLog;
import dev.gantry.server.retention.BuildPruner;
import dev.gantry.store.Keeping;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Keeps room on the data directory's disk before each build starts. When free space is under {@link MinFree}, it
 * removes the most expendable data first: working copies that crashed builds left under the data directory, then
 * old builds' logs, artifacts and telemetry (the oldest first, never a pipeline's newest build, a pinned one or one
 * behind a live release), then the least recently used caches. It logs what it removed and why. When that is not
 * enough, it says so, and the build is refused up front with that reason instead of failing midway. It never
 * touches a running build's files, a build's record, or a release.
 */
public final class DiskGuard {

    private final Path dataDir;
    private final MinFree minFree;
    private final Path caches;
    private final BuildPruner builds;
    private final ServerLog log;

    /**
     * @param caches the cache store's directory (least recently used caches go when room is short); null for none
     * @param builds removes old builds' data when room is short
     */
    public DiskGuard(Path dataDir, MinFree minFree, Path caches, BuildPruner builds, ServerLog log) {
        this.builds = builds;
        this.dataDir = dataDir;
        this.minFree = minFree;
        this.caches = caches;
        this.log = log;
    }

    /**
     * Makes room if it is short; empty when there is enough now, else why not.
     *
     * @param running whether a build (by id) is running: its directory is never touched
     */
    public synchronized Optional<String> makeRoom(Predicate<String> running) {
        try {
            FileStore disk = Files.getFileStore(dataDir);
            long need = minFree.of(disk.getTotalSpace());
            if (disk.getUsableSpace() >= need) {
                return Optional.empty();
            }
            List<String> done = new ArrayList<>();
            long freed = removeLeftoverWorkingCopies(running);
            if (freed > 0) {
                done.add("removed working copies left by crashed builds (" + Sizes.format(freed) + ")");
            }
            long free = disk.getUsableSpace();
            if (free < need) {
                List<String> pruned = new ArrayList<>();
                long prunedBytes = 0;
                for (Keeping b : builds.oldestExpendable()) {
                    if (disk.getUsableSpace() >= need) {
                        break;
                    }
                    prunedBytes += builds.prune(b);
                    pruned.add(b.pipeline() + " #" + b.number());
                }
                if (!pruned.isEmpty()) {
                    done.add("removed the logs, artifacts and telemetry of the oldest builds " + String.join(", ",
                            pruned) + " (" + Sizes.format(prunedBytes) + " on disk)");
                }
                free = disk.getUsableSpace();
            }
            if (free < need && caches != null && Files.isDirectory(caches)) {
                LocalCacheStore store = new LocalCacheStore(caches);
                long before = store.totalSize();
                store.evictToFit(Math.max(0, before - (need - free)));
                long evicted = before - store.totalSize();
                if (evicted > 0) {
                    done.add("evicted the least recently used caches (" + Sizes.format(evicted) + ")");
                }
                free = disk.getUsableSpace();
            }
            if (!done.isEmpty()) {
                log.warn("disk guard: " + Sizes.format(free) + " free now, " + minFree + " kept (--min-free): "
                        + String.join("; ", done));
            }
            if (free >= need) {
                return Optional.empty();
            }
            return Optional.of("only " + Sizes.format(free) + " is free on the data directory's disk, under the "
                    + minFree + (minFree.bytes() > 0 ? "" : " (" + Sizes.format(need) + ")") + " the disk guard keeps"
                    + " (--min-free), " + (done.isEmpty() ? "and nothing expendable was left to remove"
                    : "even after it " + String.join(" and ", done)) + ": free some space (or remove old builds),"
                    + " then build again");
        } catch (IOException e) {
            return Optional.of("the disk guard cannot read the data directory's disk: " + e.getMessage());
        }
    }

    /** {@code builds/ID/work} of builds that do not run: what a server killed mid-build left. */
    private long removeLeftoverWorkingCopies(Predicate<String> running) throws IOException {
        Path builds = dataDir.resolve("builds");
        if (!Files.isDirectory(builds)) {
            return 0;
        }
        long freed = 0;
        try (Stream<Path> dirs = Files.list(builds)) {
            for (Path build : dirs.toList()) {
                Path work = build.resolve("work");
                if (!running.test(build.getFileName().toString()) && Files.isDirectory(work)) {
                    freed += Directories.size(work);
                    Directories.deleteTree(work);
                }
            }
        }
        return freed;
    }
}
