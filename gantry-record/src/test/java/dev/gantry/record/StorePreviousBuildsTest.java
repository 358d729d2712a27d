package dev.gantry.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.gantry.core.notify.Delivery;
import dev.gantry.core.pipeline.Location;
import dev.gantry.core.pipeline.NotifyDef;
import dev.gantry.core.pipeline.NotifyEvent;
import dev.gantry.core.pipeline.Value;
import dev.gantry.core.plan.Revision;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.event.BuildInfo;
import dev.gantry.engine.notify.NotifyListener;
import dev.gantry.engine.notify.Notifier;
import dev.gantry.engine.notify.RetryPolicy;
import dev.gantry.engine.run.TaskState;
import dev.gantry.store.BuildRow;
import dev.gantry.store.Store;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The previous build as the store knows it, and a build's failure sent and recorded through the store. */
class StorePreviousBuildsTest {

    private final Store store = Store.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null);
    private final StorePreviousBuilds previous = new StorePreviousBuilds(store.builds());

    @AfterEach
    void close() {
        store.close();
    }

    private void saved(long number, String branch, String status) {
        Instant at = Instant.parse("2026-11-30T10:00:00Z").plusSeconds(number);
        store.builds().save(new BuildRow("b" + number, "tts", number, "gantry.yml", "d", "c" + number, branch,
                branch == null ? "v1." + number : null, null, null, "push", status, at,
                status.equals("running") ? null : at.plusSeconds(1), List.of()));
    }

    @Test
    void theNewestEndedBuildOfTheBranchCountsCancelledOnesSkipped() {
        saved(1, "main", "succeeded");
        saved(2, "main", "timed out");
        saved(3, "feature", "succeeded");
        saved(4, "main", "cancelled");
        saved(5, "main", "running");

        assertThat(previous.previous("tts", "main", 6)).contains(TaskState.TIMED_OUT);
        assertThat(previous.previous("tts", "main", 2)).contains(TaskState.SUCCEEDED);
        assertThat(previous.previous("tts", "main", 1)).isEmpty();
        assertThat(previous.previous("tts", "feature", 6)).contains(TaskState.SUCCEEDED);
        assertThat(previous.previous("other", "main", 6)).isEmpty();
    }

    @Test
    void aTagBuildHasNothingToCompareWith() {
        saved(1, null, "failed");

        assertThat(previous.previous("tts", null, 2)).isEmpty();
    }

    @Test
    void aFailureAfterASuccessReachesAReceiverAndEveryAttemptIsInTheStore() throws Exception {
        saved(1, "main", "succeeded");
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(received.size() == 1 ? 502 : 204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            NotifyDef hook = new NotifyDef(NotifyDef.Channel.WEBHOOK, new Location("gantry.yml", 9, 5),
                    "notify[0].webhook", Value.of("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"),
                    null, null, null, List.of(), Set.of(NotifyEvent.BUILD_FAILED, NotifyEvent.BUILD_FIXED));
            Notifier notifier = new Notifier(store.deliveries(),
                    new RetryPolicy(3, Duration.ofMillis(5), Duration.ofSeconds(10)), Clock.systemUTC(), m -> { });
            NotifyListener listener = new NotifyListener(List.of(hook), notifier, r -> null, previous,
                    "http://ci.test:8080");
            BuildInfo info = new BuildInfo(2, "b2", "tts", "gantry.yml", "d", new Revision("c2", "main", null),
                    "push", Path.of("unused"), Path.of("unused"));

            listener.on(new BuildEvent.BuildStarted(Instant.now(), info, List.of("e2e")));
            listener.on(new BuildEvent.BuildFinished(Instant.now(), TaskState.FAILED, Duration.ofSeconds(2)));
            notifier.close(Duration.ofSeconds(30));
        } finally {
            receiver.stop(0);
        }

        assertThat(received).hasSize(2).allSatisfy(body -> assertThat(body)
                .contains("\"event\":\"build_failed\"").contains("\"build\":2")
                .contains("\"build\":\"http://ci.test:8080/pipelines/tts/builds/2\""));
        List<Delivery> attempts = store.deliveries().recent("tts", 10);
        assertThat(attempts).extracting(Delivery::status).containsExactly("delivered", "failed");
        assertThat(attempts).extracting(Delivery::attempt).containsExactly(2, 1);
        assertThat(attempts).allSatisfy(d -> {
            assertThat(d.event()).isEqualTo("build_failed");
            assertThat(d.build()).isEqualTo(2L);
            assertThat(d.target()).doesNotContain("/hook");
        });
    }

    @Test
    void storedStatusesAreReadBackAsStates() {
        assertThat(StorePreviousBuilds.stateOf("timed out")).isEqualTo(Optional.of(TaskState.TIMED_OUT));
        assertThat(StorePreviousBuilds.stateOf("errored")).isEqualTo(Optional.of(TaskState.ERRORED));
        assertThat(StorePreviousBuilds.stateOf("queued")).isEqualTo(Optional.of(TaskState.QUEUED));
    }
}
