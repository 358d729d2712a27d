package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gantry.store.BuildRow;
import dev.gantry.store.PipelineRow;
import dev.gantry.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that cannot listen starts nothing: it binds its port before it requeues a build or polls. */
class StartTest {

    @TempDir
    Path tmp;

    @Test
    void aPortInUseFailsTheStartCleanlyBeforeAnyBuildRunsAndLeavesNoThread() throws Exception {
        Path data = tmp.resolve("data");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (GitRepo repo = new GitRepo(tmp.resolve("repo"));
             Store store = Store.embedded(data.resolve("db"));
             ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String sha = repo.commit("gantry.yml", "jobs:\n  a:\n    steps:\n      - run: echo a\n", "a");
            store.pipelines().save(new PipelineRow("p", repo.dir().toString(), "gantry.yml", "main",
                    Duration.ofSeconds(1), null, Instant.now()));
            BuildRow queued = new BuildRow("b1", "p", 1, "gantry.yml", "", sha, "main", null, "Ada", "a", "manual",
                    "queued", Instant.now(), null, List.of());
            store.builds().save(queued);
            Set<Thread> before = serverThreads();

            assertThatThrownBy(() -> GantryServer.start(store, ServerFixture.settings(data, 1, taken.getLocalPort()),
                    new ServerLog(new PrintStream(printed, true, StandardCharsets.UTF_8), Clock.systemUTC())))
                    .isInstanceOf(GantryServer.StartException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());

            assertThat(store.builds().find("p", 1).orElseThrow().status()).isEqualTo("queued");
            assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain("started", "listening");
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(serverThreads())
                    .as("threads the failed start left").isSubsetOf(before));
        }
    }

    /** The threads a server starts: its own, and Jetty's. */
    private static Set<Thread> serverThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("gantry-") || t.getName().contains("Jetty")
                        || t.getName().startsWith("qtp"))
                .collect(Collectors.toSet());
    }
}
