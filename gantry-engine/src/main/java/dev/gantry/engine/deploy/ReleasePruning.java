package dev.gantry.engine.deploy;

import dev.gantry.core.deploy.Release;
import dev.gantry.core.deploy.ReleaseHistory;
import dev.gantry.core.deploy.ReleaseStatus;
import dev.gantry.engine.workspace.Directories;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keeps the newest {@code keep_releases} release directories and removes older ones, never the live release's nor
 * the newest good one before it (what a rollback needs). The history in the store is never pruned.
 */
final class ReleasePruning {

    private ReleasePruning() {
    }

    static void prune(EnvironmentDirectory env, ReleaseHistory history, int keep, Consumer<String> log)
            throws IOException {
        List<Release> releases = history.list(env.pipeline(), env.environment());
        Set<Integer> protect = new HashSet<>();
        Integer live = null;
        for (Release r : releases) {
            if (r.status() == ReleaseStatus.LIVE) {
                live = r.number();
                protect.add(r.number());
            }
        }
        for (Release r : releases) {
            if ((live == null || r.number() < live) && Deployments.isGood(r) && r.status() != ReleaseStatus.LIVE) {
                protect.add(r.number());
                break;
            }
        }
        List<Integer> onDisk = env.releaseNumbers();
        for (int i = Math.max(keep, 1); i < onDisk.size(); i++) {
            int n = onDisk.get(i);
            if (!protect.contains(n)) {
                Directories.deleteTree(env.release(n));
                log.accept("removed the directory of release " + n + " (keep_releases: " + keep + ")");
            }
        }
    }
}
