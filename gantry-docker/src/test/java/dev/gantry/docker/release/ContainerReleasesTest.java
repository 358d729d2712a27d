package dev.gantry.docker.release;

import dev.gantry.docker.GantryUser;
import dev.gantry.docker.host.DockerHostSpec;
import dev.gantry.docker.testing.DockerAvailable;
import dev.gantry.engine.deploy.LaunchRecord;
import dev.gantry.engine.deploy.ReleaseRunner;
import dev.gantry.engine.deploy.ReleaseRunnerContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract on containers of the example base image, on the local engine. */
class ContainerReleasesTest extends ReleaseRunnerContract {

    private static ContainerReleases releases;

    @BeforeAll
    static void open() {
        DockerAvailable.images();
        releases = new ContainerReleases(List.of(DockerHostSpec.local(Map.of(), Map.of())), null);
    }

    @AfterAll
    static void close() {
        if (releases != null) {
            releases.close();
        }
    }

    @Override
    protected ReleaseRunner runner() {
        return releases;
    }

    @Override
    protected LaunchRecord.Container container() throws Exception {
        return releases.place(null, dev.gantry.core.pipeline.ImageRef.of("gantry-example/base:1"), ref -> null);
    }

    @Override
    protected Map<String, String> baseEnv() {
        return Map.of();
    }
}
