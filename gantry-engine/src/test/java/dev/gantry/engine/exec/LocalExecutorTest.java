package dev.gantry.engine.exec;

import dev.gantry.engine.workspace.SourceTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

class LocalExecutorTest extends ExecutorContract {

    @TempDir
    Path source;

    @TempDir
    Path work;

    @Override
    protected Executor executor() throws Exception {
        Files.writeString(source.resolve("source.txt"), "source");
        return new LocalExecutor(SourceTree.scan(source), work, Map.of("gpu", 0));
    }
}
