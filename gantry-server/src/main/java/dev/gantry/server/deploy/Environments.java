package dev.gantry.server.deploy;

import dev.gantry.core.deploy.Release;
import dev.gantry.core.deploy.ReleaseHistory;
import java.util.List;
import java.util.Optional;

/** Reads environments and releases for the API and the UI, so both say the same. */
public final class Environments {

    private final ReleaseHistory history;
    private final HealthBoard health;
    private final ReleaseDirectories directories;

    public Environments(ReleaseHistory history, HealthBoard health, ReleaseDirectories directories) {
        this.history = history;
        this.health = health;
        this.directories = directories;
    }

    /** The pipeline's environments that have releases, in name order. */
    public List<String> names(String pipeline) {
        return history.environments().stream().filter(k -> k.pipeline().equals(pipeline))
                .map(ReleaseHistory.EnvironmentKey::environment).toList();
    }

    public boolean hasReleases(String pipeline) {
        return !names(pipeline).isEmpty();
    }

    public List<EnvironmentView> of(String pipeline) {
        return names(pipeline).stream().map(env -> view(pipeline, env)).toList();
    }

    public EnvironmentView view(String pipeline, String environment) {
        List<Release> releases = history.list(pipeline, environment);
        Optional<Release> live = releases.stream().filter(r -> r.status() == dev.gantry.core.deploy.ReleaseStatus.LIVE)
                .findFirst();
        return new EnvironmentView(environment, live.map(ReleaseView::of).orElse(null),
                live.flatMap(r -> health.of(pipeline, environment, r.number())).orElse(null),
                releases.isEmpty() ? null : ReleaseView.of(releases.get(0)));
    }

    /** The environment's releases, newest first; empty when it has none. */
    public List<ReleaseView> history(String pipeline, String environment) {
        return history.list(pipeline, environment).stream().map(ReleaseView::of).toList();
    }

    public Optional<Release> find(String pipeline, String environment, int number) {
        return history.find(pipeline, environment, number);
    }

    public ReleaseFiles files(Release r) {
        return new ReleaseFiles(directories.of(r.pipeline(), r.environment(), r.number()));
    }
}
