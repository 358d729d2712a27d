package dev.gantry.server.trigger;

import dev.gantry.server.ServerLog;
import dev.gantry.server.build.BuildQueue;
import dev.gantry.server.git.GitMirror;
import dev.gantry.server.git.Mirrors;
import dev.gantry.server.metrics.ServerMetrics;
import dev.gantry.store.BuildRow;
import dev.gantry.store.PipelineRow;
import dev.gantry.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Looks for what changed in a pipeline's repository since the last check and queues a build for each: a new head
 * of the watched branch, a new tag. The refs seen are kept in the store, so a restarted server neither misses nor
 * repeats a change. The first check of a new pipeline builds its branch's head, and only records the tags it finds.
 */
public final class Checker {

    static final String HEADS = "refs/heads/";
    static final String TAGS = "refs/tags/";

    private final Store store;
    private final Mirrors mirrors;
    private final BuildQueue builds;
    private final ServerMetrics metrics;
    private final ServerLog log;
    private final Clock clock;
    private final Map<String, Status> statuses = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public Checker(Store store, Mirrors mirrors, BuildQueue builds, ServerMetrics metrics, ServerLog log, Clock clock) {
        this.store = store;
        this.mirrors = mirrors;
        this.builds = builds;
        this.metrics = metrics;
        this.log = log;
        this.clock = clock;
    }

    /** How the last check of a pipeline went. */
    public record Status(Instant at, String error) {
    }

    public Status status(String pipeline) {
        return statuses.get(pipeline);
    }

    /** Checks now and returns the builds it queued; one check of a pipeline at a time. */
    public List<BuildRow> check(PipelineRow pipeline, String trigger) {
        synchronized (lockFor(pipeline.name())) {
            List<BuildRow> queued = new ArrayList<>();
            GitMirror mirror = mirrors.of(pipeline);
            try {
                Map<String, String> refs = mirror.fetch();
                Map<String, String> seen = store.pipelines().refs(pipeline.name());
                boolean first = seen.isEmpty();
                String head = refs.get(HEADS + pipeline.branch());
                if (head != null && !head.equals(seen.get(HEADS + pipeline.branch()))) {
                    queued.add(builds.enqueue(new BuildQueue.Request(pipeline, mirror.commit(head), pipeline.branch(),
                            null, trigger)));
                }
                for (Map.Entry<String, String> ref : refs.entrySet()) {
                    String name = ref.getKey();
                    if (!first && name.startsWith(TAGS) && !ref.getValue().equals(seen.get(name))) {
                        queued.add(builds.enqueue(new BuildQueue.Request(pipeline, mirror.commit(ref.getValue()), null,
                                name.substring(TAGS.length()), trigger)));
                    }
                }
                refs.forEach((ref, sha) -> {
                    if (!sha.equals(seen.get(ref))) {
                        store.pipelines().saveRef(pipeline.name(), ref, sha);
                    }
                });
                if (head == null) {
                    throw new GitMirror.GitException("the repository has no branch '" + pipeline.branch() + "'");
                }
                statuses.put(pipeline.name(), new Status(clock.instant(), null));
            } catch (GitMirror.GitException e) {
                String previous = statuses.containsKey(pipeline.name()) ? statuses.get(pipeline.name()).error() : null;
                if (!e.getMessage().equals(previous)) {
                    log.warn("check of " + pipeline.name() + " failed: " + e.getMessage(),
                            ServerLog.About.pipeline(pipeline.name()));
                }
                statuses.put(pipeline.name(), new Status(clock.instant(), e.getMessage()));
            }
            metrics.checked(pipeline.name());
            return queued;
        }
    }

    private Object lockFor(String pipeline) {
        return locks.computeIfAbsent(pipeline, k -> new Object());
    }
}
