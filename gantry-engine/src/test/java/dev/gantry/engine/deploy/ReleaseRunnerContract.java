package dev.gantry.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.engine.cancel.Cancellation;
import dev.gantry.engine.service.PortAllocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link ReleaseRunner} must do, whatever starts the release: run its command in its directory with its
 * environment and port, its output appended to {@code service.log}; find it again from its record alone; stop it
 * with its signal and grace, then for good; tell an early exit; start it afresh after a stop.
 */
public abstract class ReleaseRunnerContract {

    @TempDir
    protected Path dir;

    private final List<LaunchRecord> launched = new ArrayList<>();

    protected abstract ReleaseRunner runner() throws Exception;

    /** Where the release runs, for the record: null for a local process. */
    protected abstract LaunchRecord.Container container() throws Exception;

    /** The environment the release starts with (what a deploy would give it). */
    protected abstract Map<String, String> baseEnv();

    @AfterEach
    void stopAll() throws Exception {
        for (LaunchRecord r : launched) {
            runner().stop(r);
        }
    }

    private LaunchRecord record(String command, Duration grace) throws Exception {
        int port = PortAllocator.allocate();
        Map<String, String> env = new java.util.HashMap<>(baseEnv());
        env.put("GREETING", "hello from the release");
        LaunchRecord r = new LaunchRecord("contract/staging/1/" + UUID.randomUUID(), "contract", "staging", 1,
                command, command, List.of("bash", "-c"), env, null, "replace", port, port, "TERM", grace, null,
                container()).onPort(port);
        launched.add(r);
        return r;
    }

    private String log() throws Exception {
        Path log = dir.resolve(ReleaseProcesses.SERVICE_LOG);
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Test
    void runsItsCommandInItsDirectoryWithItsEnvironmentAndPortAndIsFoundFromItsRecord() throws Exception {
        LaunchRecord r = record("echo \"$GREETING on $PORT in $(pwd)\"; exec sleep 600", Duration.ofSeconds(5));
        runner().launch(r, dir);
        await().atMost(Duration.ofSeconds(60)).until(() -> runner().isRunning(r));
        await().atMost(Duration.ofSeconds(30)).until(() -> log().contains("hello from the release on " + r.port()
                + " in " + dir));
        assertThat(runner().pids(r)).isNotEmpty();
        LaunchRecord again = LaunchRecord.read(writeAndKeep(r)); // another Gantry process, from the file alone
        assertThat(runner().isRunning(again)).isTrue();
    }

    private Path writeAndKeep(LaunchRecord r) throws Exception {
        Path d = Files.createDirectories(dir.resolve("copy"));
        r.write(d);
        return d;
    }

    @Test
    void aStopSendsItsSignalThenKillsWhatIgnoresItAfterTheGrace() throws Exception {
        LaunchRecord r = record("trap 'echo got TERM' TERM; echo started; while true; do sleep 0.2; done",
                Duration.ofSeconds(2));
        runner().launch(r, dir);
        await().atMost(Duration.ofSeconds(60)).until(() -> runner().isRunning(r) && log().contains("started"));
        runner().stop(r);
        assertThat(runner().isRunning(r)).isFalse();
        assertThat(runner().pids(r)).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> log().contains("got TERM"));
        assertThat(runner().awaitGpuReleased(r, java.util.Set.of(), Duration.ofSeconds(1), Cancellation.root()))
                .isEmpty();
    }

    @Test
    void anEarlyExitIsToldAndAStoppedReleaseStartsAfresh() throws Exception {
        LaunchRecord dies = record("echo dying; exit 3", Duration.ofSeconds(2));
        BooleanSupplier exited = runner().launch(dies, dir);
        await().atMost(Duration.ofSeconds(60)).until(exited::getAsBoolean);
        runner().stop(dies);

        LaunchRecord r = record("echo run; exec sleep 600", Duration.ofSeconds(2));
        runner().launch(r, dir);
        await().atMost(Duration.ofSeconds(60)).until(() -> runner().isRunning(r));
        runner().stop(r);
        assertThat(runner().isRunning(r)).isFalse();
        runner().launch(r, dir);
        await().atMost(Duration.ofSeconds(60)).until(() -> runner().isRunning(r));
        assertThat(log().split("run\n", -1)).hasSize(3); // started twice
    }

    @Test
    void stoppingWhatNeverRanDoesNothing() throws Exception {
        LaunchRecord r = record("exec sleep 600", Duration.ofSeconds(1));
        runner().stop(r);
        assertThat(runner().isRunning(r)).isFalse();
    }
}
