package dev.gantry.engine.deploy;

import dev.gantry.core.pipeline.ImageRef;
import dev.gantry.core.pipeline.SecretRef;
import dev.gantry.engine.cancel.Cancellation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The runner of each release: a local process unless its record says it is a container, which needs
 * {@code containers}. A Gantry started without Docker support refuses to start or place a container release,
 * saying why, and sees none running.
 */
final class ReleaseRunners {

    private static final String NO_DOCKER = "this Gantry cannot run releases in containers: it was started"
            + " without Docker support";

    private final ReleaseContainers containers;

    ReleaseRunners(ReleaseContainers containers) {
        this.containers = containers != null ? containers : new ReleaseContainers() {
            @Override
            public LaunchRecord.Container place(String host, ImageRef image, Function<SecretRef, String> secrets)
                    throws DeployException {
                throw new DeployException(NO_DOCKER);
            }

            @Override
            public BooleanSupplier launch(LaunchRecord record, Path releaseDir) throws DeployException {
                throw new DeployException(NO_DOCKER);
            }

            @Override
            public Set<Long> pids(LaunchRecord record) {
                return Set.of();
            }

            @Override
            public void stop(LaunchRecord record) {
                // nothing of it can be running through this Gantry
            }

            @Override
            public Optional<String> awaitGpuReleased(LaunchRecord record, Set<Long> pids, Duration limit,
                                                     Cancellation cancel) {
                return Optional.empty();
            }
        };
    }

    ReleaseRunner of(LaunchRecord record) {
        return record.container() == null ? LocalReleases.INSTANCE : containers;
    }

    ReleaseContainers containers() {
        return containers;
    }
}
