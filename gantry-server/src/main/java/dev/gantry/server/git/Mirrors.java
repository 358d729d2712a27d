package dev.gantry.server.git;

import dev.gantry.engine.run.TaskKeys;
import dev.gantry.store.PipelineRow;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** One {@link GitMirror} per registered pipeline, under {@code DATA_DIR/repos/}. */
public final class Mirrors {

    private final Path root;
    private final ConcurrentMap<String, GitMirror> mirrors = new ConcurrentHashMap<>();

    public Mirrors(Path root) {
        this.root = root;
    }

    public GitMirror of(PipelineRow pipeline) {
        return mirrors.compute(pipeline.name(), (name, existing) -> existing != null
                && existing.remote().equals(pipeline.repository()) ? existing
                : new GitMirror(pipeline.repository(), root.resolve(TaskKeys.key(name) + ".git")));
    }
}
