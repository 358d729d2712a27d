package dev.gantry.engine.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.core.notify.Delivery;
import dev.gantry.core.plan.Revision;
import dev.gantry.core.pipeline.NotifyDef;
import dev.gantry.core.pipeline.Value;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.event.BuildInfo;
import dev.gantry.engine.run.TaskState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A build's events become notifications: failures and fixes on transitions only, deploy outcomes always, and the
 * build's thread never waits for a receiver.
 */
class NotifyListenerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final MemoryDeliveryLog log = new MemoryDeliveryLog();
    private HttpReceiver receiver;
    private Notifier notifier;

    @BeforeEach
    void start() throws Exception {
        receiver = new HttpReceiver();
        notifier = new Notifier(log, new RetryPolicy(3, Duration.ofMillis(5), Duration.ofSeconds(10)),
                Clock.systemUTC(), m -> { });
    }

    @AfterEach
    void stop() {
        receiver.close();
        notifier.close(WAIT);
    }

    private NotifyDef webhook() {
        return Defs.webhook(Value.of(receiver.url("/ci").toString()), null, Defs.all());
    }

    private static BuildInfo build(long number, String branch) {
        return new BuildInfo(number, "b-" + number, "tts", "gantry.yml", "digest", new Revision("abc123", branch,
                null), "push", Path.of("/tmp/unused"), Path.of("/tmp/unused"));
    }

    /** Runs a build of {@code number} on main that ends in {@code state}, the one before it having ended in
     * {@code before} (empty: none), and returns the events that were sent once everything queued is done. */
    private List<String> eventsSentFor(TaskState state, Optional<TaskState> before) {
        NotifyListener listener = new NotifyListener(List.of(webhook()), notifier, r -> null,
                (pipeline, branch, below) -> {
                    assertThat(pipeline).isEqualTo("tts");
                    assertThat(branch).isEqualTo("main");
                    assertThat(below).isEqualTo(7);
                    return before;
                }, null);
        listener.on(new BuildEvent.BuildStarted(Instant.now(), build(7, "main"), List.of("e2e")));
        listener.on(new BuildEvent.BuildFinished(Instant.now(), state, Duration.ofSeconds(3)));
        notifier.close(WAIT);
        return log.all().stream().map(Delivery::event).toList();
    }

    @Test
    void aFailureAfterASuccessIsSent() {
        assertThat(eventsSentFor(TaskState.FAILED, Optional.of(TaskState.SUCCEEDED))).containsExactly("build_failed");
        assertThat(receiver.requests().get(0).text()).contains("\"build\":7").contains("\"status\":\"failed\"");
    }

    @Test
    void theFirstBuildFailingIsSent() {
        assertThat(eventsSentFor(TaskState.TIMED_OUT, Optional.empty())).containsExactly("build_failed");
    }

    @Test
    void aFailureAfterAFailureIsNotSentAgain() {
        assertThat(eventsSentFor(TaskState.ERRORED, Optional.of(TaskState.FAILED))).isEmpty();
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void aSuccessAfterAFailureIsAFix() {
        assertThat(eventsSentFor(TaskState.SUCCEEDED, Optional.of(TaskState.TIMED_OUT)))
                .containsExactly("build_fixed");
    }

    @Test
    void aSuccessAfterASuccessIsNotSent() {
        assertThat(eventsSentFor(TaskState.SUCCEEDED, Optional.of(TaskState.SUCCEEDED))).isEmpty();
    }

    @Test
    void aCancelledBuildSendsNothing() {
        assertThat(eventsSentFor(TaskState.CANCELLED, Optional.of(TaskState.SUCCEEDED))).isEmpty();
    }

    @Test
    void eachDeployOutcomeIsSentWithItsEnvironmentReleaseAndALinkToTheBuild() throws Exception {
        NotifyListener listener = new NotifyListener(List.of(webhook()), notifier, r -> null, PreviousBuilds.NONE,
                "https://ci.example/");
        listener.on(new BuildEvent.BuildStarted(Instant.now(), build(12, "main"), List.of("deploy")));
        listener.on(new BuildEvent.DeployFinished(Instant.now(), "deploy", "staging", 4, "succeeded", 4, null));
        listener.on(new BuildEvent.DeployFinished(Instant.now(), "deploy", "production", 5, "rolled_back", 4,
                "gate failed: voiced ratio 0.00 < 0.2"));
        listener.on(new BuildEvent.DeployFinished(Instant.now(), "deploy", "qa", 1, "failed", null,
                "readiness timed out"));
        notifier.close(WAIT);

        assertThat(log.all()).extracting(Delivery::event).containsExactlyInAnyOrder("deploy_succeeded",
                "deploy_rolled_back", "deploy_failed");
        ObjectMapper json = new ObjectMapper();
        JsonNode rolledBack = receiver.requests().stream().map(r -> read(json, r))
                .filter(b -> b.get("event").asText().equals("deploy_rolled_back")).findFirst().orElseThrow();
        assertThat(rolledBack.get("environment").asText()).isEqualTo("production");
        assertThat(rolledBack.get("release").asInt()).isEqualTo(5);
        assertThat(rolledBack.get("build").asLong()).isEqualTo(12);
        assertThat(rolledBack.get("status").asText()).isEqualTo("rolled_back");
        assertThat(rolledBack.get("message").asText())
                .isEqualTo("gate failed: voiced ratio 0.00 < 0.2; release 4 serves production");
        assertThat(rolledBack.get("links")).isEqualTo(json.valueToTree(
                Map.of("build", "https://ci.example/pipelines/tts/builds/12")));
    }

    @Test
    void theBuildsThreadNeverWaitsForAReceiver() throws Exception {
        receiver.holdAnswers();
        NotifyListener listener = new NotifyListener(List.of(webhook()), notifier, r -> null, PreviousBuilds.NONE,
                null);

        listener.on(new BuildEvent.BuildStarted(Instant.now(), build(3, "main"), List.of("e2e")));
        listener.on(new BuildEvent.DeployFinished(Instant.now(), "deploy", "staging", 1, "failed", null, "boom"));
        listener.on(new BuildEvent.BuildFinished(Instant.now(), TaskState.FAILED, Duration.ofSeconds(1)));

        // Both calls returned while the receiver still holds its first answer: no attempt has finished.
        assertThat(receiver.awaitFirstRequest()).isTrue();
        assertThat(log.all()).isEmpty();
        receiver.release();
        await().atMost(WAIT).until(() -> log.all().size() == 2);
        assertThat(log.all()).extracting(Delivery::status).containsOnly("delivered");
    }

    @Test
    void aDeadEndpointsAttemptsAllFinishAfterTheBuildsListenerReturned() throws Exception {
        // Every attempt's record waits for the gate, opened only once the listener's calls have returned: had a
        // call waited for an attempt, it would have waited for the gate, and the attempt would see returned=false.
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean returned = new java.util.concurrent.atomic.AtomicBoolean();
        List<Boolean> returnedBeforeAttemptEnded = new java.util.concurrent.CopyOnWriteArrayList<>();
        Notifier gated = new Notifier(new dev.gantry.core.notify.DeliveryLog() {
            @Override
            public void record(Delivery attempt) {
                try {
                    gate.await(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                returnedBeforeAttemptEnded.add(returned.get());
                log.record(attempt);
            }

            @Override
            public List<Delivery> recent(String pipeline, int limit) {
                return log.recent(pipeline, limit);
            }
        }, new RetryPolicy(3, Duration.ofMillis(5), Duration.ofSeconds(10)), Clock.systemUTC(), m -> { });
        NotifyDef dead = Defs.webhook(Value.of("http://127.0.0.1:" + ChannelContract.closedPort() + "/ci"), null,
                Defs.all());
        NotifyListener listener = new NotifyListener(List.of(dead), gated, r -> null, PreviousBuilds.NONE, null);

        listener.on(new BuildEvent.BuildStarted(Instant.now(), build(3, "main"), List.of("e2e")));
        listener.on(new BuildEvent.BuildFinished(Instant.now(), TaskState.FAILED, Duration.ofSeconds(1)));
        returned.set(true);
        gate.countDown();

        await().atMost(WAIT).until(() -> log.finished("webhook"));
        gated.close(WAIT);
        assertThat(log.statuses("webhook")).containsExactly("failed", "failed", "gave_up");
        assertThat(returnedBeforeAttemptEnded).hasSize(3).containsOnly(true);
    }

    private static JsonNode read(ObjectMapper json, HttpReceiver.Request r) {
        try {
            return json.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
