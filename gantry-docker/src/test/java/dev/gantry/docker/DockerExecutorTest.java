package dev.gantry.docker;

import dev.gantry.core.pipeline.ImageRef;
import dev.gantry.docker.host.DockerHostSpec;
import dev.gantry.docker.host.DockerHosts;
import dev.gantry.engine.exec.Executor;
import dev.gantry.engine.exec.ExecutorContract;
import dev.gantry.engine.exec.TaskExecutor;
import dev.gantry.engine.exec.TaskSetup;
import dev.gantry.engine.pool.Allocation;
import dev.gantry.engine.workspace.SourceTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The executor contract, on the local Docker engine: each test's task is a container of the base image. */
class DockerExecutorTest extends ExecutorContract {

    static final String IMAGE = "gantry-dev/base:1";

    @TempDir
    Path source;

    @TempDir
    Path build;

    private DockerHosts hosts;
    private TaskExecutor task;

    @Override
    protected Executor executor() throws Exception {
        Files.writeString(source.resolve("source.txt"), "source");
        hosts = DockerHosts.open("contract-test", List.of(DockerHostSpec.local(Map.of("gpu", 0), Map.of())),
                line -> { });
        DockerExecutor docker = DockerExecutor.create(hosts, SourceTree.scan(source), build, List.of());
        String id = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        task = docker.forTask(new TaskSetup(id, "contract", "contract", new ImageRef(IMAGE, ImageRef.Pull.NEVER,
                null, null, null), new Allocation("docker", Map.of()), null, "TERM", Duration.ofSeconds(2),
                List.of(), ref -> null));
        return task;
    }

    @AfterEach
    void removeContainers() {
        if (task != null) {
            task.close();
        }
        if (hosts != null) {
            hosts.close();
        }
    }
}
