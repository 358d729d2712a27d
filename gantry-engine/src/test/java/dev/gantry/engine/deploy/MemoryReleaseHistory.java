package dev.gantry.engine.deploy;

import dev.gantry.core.deploy.Release;
import dev.gantry.core.deploy.ReleaseHistory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** A release history in memory, for engine tests (the store's implementation lives in gantry-store). */
public final class MemoryReleaseHistory implements ReleaseHistory {

    private final List<Release> releases = new ArrayList<>();

    @Override
    public synchronized Release create(Release draft) {
        int next = releases.stream().filter(r -> r.pipeline().equals(draft.pipeline())
                && r.environment().equals(draft.environment())).mapToInt(Release::number).max().orElse(0) + 1;
        Release r = new Release(draft.pipeline(), draft.environment(), next, draft.build(), draft.commit(),
                draft.branch(), draft.tag(), draft.trigger(), draft.files(), draft.volumes(), draft.port(),
                draft.status(), draft.createdAt(), draft.liveAt(), draft.endedAt(), draft.reason());
        releases.add(r);
        return r;
    }

    @Override
    public synchronized void update(Release release) {
        for (int i = 0; i < releases.size(); i++) {
            Release r = releases.get(i);
            if (r.pipeline().equals(release.pipeline()) && r.environment().equals(release.environment())
                    && r.number() == release.number()) {
                releases.set(i, release);
                return;
            }
        }
        throw new IllegalArgumentException("no release " + release.number());
    }

    @Override
    public synchronized Optional<Release> find(String pipeline, String environment, int number) {
        return list(pipeline, environment).stream().filter(r -> r.number() == number).findFirst();
    }

    @Override
    public synchronized List<Release> list(String pipeline, String environment) {
        return releases.stream().filter(r -> r.pipeline().equals(pipeline) && r.environment().equals(environment))
                .sorted(Comparator.comparingInt(Release::number).reversed()).toList();
    }

    @Override
    public synchronized List<EnvironmentKey> environments() {
        return releases.stream().map(r -> new EnvironmentKey(r.pipeline(), r.environment())).distinct()
                .sorted(Comparator.comparing(EnvironmentKey::pipeline).thenComparing(EnvironmentKey::environment))
                .toList();
    }
}
