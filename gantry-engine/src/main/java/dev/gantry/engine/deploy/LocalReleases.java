package dev.gantry.engine.deploy;

import dev.gantry.engine.cancel.Cancellation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/** Releases as local processes, detached from Gantry and found by their marker ({@link ReleaseProcesses}). */
public final class LocalReleases implements ReleaseRunner {

    public static final LocalReleases INSTANCE = new LocalReleases();

    private LocalReleases() {
    }

    @Override
    public BooleanSupplier launch(LaunchRecord record, Path releaseDir) throws IOException {
        Process p = ReleaseProcesses.launch(record, releaseDir);
        return () -> !p.isAlive();
    }

    @Override
    public Set<Long> pids(LaunchRecord record) {
        return ReleaseProcesses.pids(record);
    }

    @Override
    public void stop(LaunchRecord record) {
        ReleaseProcesses.stop(record);
    }

    @Override
    public Optional<String> awaitGpuReleased(LaunchRecord record, Set<Long> pids, Duration limit,
                                             Cancellation cancel) {
        return ReleaseProcesses.awaitGpuReleased(pids, record.env(), limit, cancel);
    }
}
