package dev.gantry.server.retention;

import dev.gantry.core.deploy.Release;
import dev.gantry.core.deploy.ReleaseHistory;
import dev.gantry.engine.workspace.Directories;
import dev.gantry.server.layout.BuildDirectories;
import dev.gantry.store.Keeping;
import dev.gantry.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Removes one build's logs, artifacts and telemetry, from the store and from its directory, and says which builds
 * may lose them: ended ones, neither pinned nor already pruned, and none a live release was deployed from. The
 * build's record, steps, test results and {@code build.json} stay.
 */
public final class BuildPruner {

    /** What goes from a build's directory; {@code build.json} stays. */
    private static final List<String> REMOVED = List.of("logs", "telemetry", "artifacts", "work", "src");

    private final Store store;
    private final Path dataDir;
    private final Clock clock;

    public BuildPruner(Store store, Path dataDir, Clock clock) {
        this.store = store;
        this.dataDir = dataDir;
        this.clock = clock;
    }

    /** The numbers of the pipeline's builds that a live release was deployed from. */
    public Set<Long> liveReleaseBuilds(String pipeline) {
        ReleaseHistory releases = store.releases();
        return releases.environments().stream().filter(e -> e.pipeline().equals(pipeline))
                .flatMap(e -> releases.live(pipeline, e.environment()).stream()).map(Release::build)
                .collect(Collectors.toSet());
    }

    /** Whether the build's data may go at all, whatever retention says. */
    public static boolean expendable(Keeping build, Set<Long> liveReleaseBuilds) {
        return build.ended() && !build.pinned() && !build.pruned() && !liveReleaseBuilds.contains(build.number());
    }

    /**
     * Every pipeline's expendable builds, the oldest first, leaving each pipeline's newest build alone: what the disk
     * guard removes when room is short.
     */
    public List<Keeping> oldestExpendable() {
        List<Keeping> out = new ArrayList<>();
        for (var p : store.pipelines().list()) {
            List<Keeping> builds = store.builds().keeping(p.name());
            Set<Long> live = liveReleaseBuilds(p.name());
            builds.stream().skip(1).filter(b -> expendable(b, live)).forEach(out::add);
        }
        out.sort(Comparator.comparing(Keeping::startedAt).thenComparing(Keeping::number));
        return out;
    }

    /**
     * Removes the build's logs, artifacts and telemetry; returns the bytes freed on disk. One build at a time (the
     * sweep and the disk guard may both reach it), and nothing when the build was pinned or pruned meanwhile.
     */
    public synchronized long prune(Keeping build) throws IOException {
        Keeping now = store.builds().keepingOf(build.id()).orElse(null);
        if (now == null || now.pinned() || now.pruned() || !now.ended()) {
            return 0;
        }
        Path dir = BuildDirectories.of(dataDir, build.id());
        long freed = 0;
        for (String name : REMOVED) {
            Path sub = dir.resolve(name);
            if (Files.exists(sub)) {
                freed += Directories.size(sub);
                Directories.deleteTree(sub);
            }
        }
        store.logs().delete(build.id());
        store.results().deleteArtifactsAndTelemetry(build.id());
        store.builds().markPruned(build.id(), clock.instant());
        return freed;
    }
}
