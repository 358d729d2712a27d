package dev.gantry.engine.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping a tree of processes: a process that handles SIGTERM gets the grace period for its handler, helpers the
 * handler starts included (they are not signalled in turn); a process that ignores it is killed when the grace
 * period ends.
 */
class ProcessTreeTest {

    @TempDir
    Path dir;

    private Process start(String script, String marker) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script);
        pb.environment().put("GANTRY_TEST_TREE", marker);
        pb.environment().put("D", dir.toString());
        return pb.start();
    }

    @Test
    void aTermHandlersHelpersFinishInsteadOfBeingSignalledInTurn() throws Exception {
        String marker = UUID.randomUUID().toString();
        Process p = start("""
                trap 'sh -c "sleep 0.5; echo handled > \\"$D/done\\""; exit 0' TERM
                echo started > "$D/started"
                while true; do sleep 100 & wait; done
                """, marker);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("started")));
        ProcessTree.terminate(ProcessTree.Selector.marker("GANTRY_TEST_TREE", marker), "TERM", Duration.ofSeconds(10));
        assertThat(dir.resolve("done")).as("the handler's helper ran to its end").hasContent("handled");
        assertThat(p.waitFor()).isZero();
        assertThat(ProcessTree.find(ProcessTree.Selector.marker("GANTRY_TEST_TREE", marker))).isEmpty();
    }

    @Test
    void aProcessThatIgnoresTermIsKilledWhenTheGracePeriodEnds() throws Exception {
        String marker = UUID.randomUUID().toString();
        Process p = start("""
                trap '' TERM
                echo started > "$D/started"
                while true; do sleep 0.05; done
                """, marker);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("started")));
        ProcessTree.terminate(ProcessTree.Selector.marker("GANTRY_TEST_TREE", marker), "TERM",
                Duration.ofMillis(500));
        assertThat(p.waitFor()).as("SIGKILL").isEqualTo(137);
        assertThat(ProcessTree.find(ProcessTree.Selector.marker("GANTRY_TEST_TREE", marker))).isEmpty();
    }
}
