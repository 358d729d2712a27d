package dev.gantry.engine.exec;

import dev.gantry.engine.workspace.SourceTree;
import java.nio.file.Path;
import java.util.Map;

/**
 * Makes the executor of one build: the local one, or one that runs tasks in containers. Given by whoever starts
 * builds ({@code gantry run --executor}, the server's {@code --docker-host}), who closes it when no build is left
 * to start (a container executor's connections to its hosts).
 */
@FunctionalInterface
public interface ExecutorFactory extends AutoCloseable {

    /** Local processes, in private copies of the source under the build's {@code work} directory. */
    ExecutorFactory LOCAL = (source, buildDir, pools) -> new LocalExecutor(source, buildDir.resolve("work"), pools);

    /**
     * @param source   the tree each task gets a private copy of
     * @param buildDir the build's directory (working copies go under its {@code work})
     * @param pools    what the local machine offers ({@code --pool}, detected GPUs)
     */
    Executor create(SourceTree source, Path buildDir, Map<String, Integer> pools);

    @Override
    default void close() {
    }
}
