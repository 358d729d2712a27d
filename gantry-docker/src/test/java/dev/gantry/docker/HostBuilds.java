package dev.gantry.docker;

import dev.gantry.docker.host.DockerHosts;
import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.scheduler.EngineSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** Builds in {@code dir} whose container tasks run on {@code hosts}. */
final class HostBuilds {

    private HostBuilds() {
    }

    static BuildFixture on(Path dir, DockerHosts hosts) {
        return new BuildFixture(dir).settings(new EngineSettings(2, false, System.getenv(), Clock.systemUTC())
                .withExecutors(DockerExecutor.factory(hosts, List.of())));
    }
}
