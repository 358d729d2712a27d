package dev.gantry.engine.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.core.notify.Delivery;
import dev.gantry.core.pipeline.NotifyDef;
import dev.gantry.core.pipeline.NotifyEvent;
import dev.gantry.core.pipeline.SecretRef;
import dev.gantry.core.pipeline.Value;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The notifier against real HTTP receivers: retries in order until delivered or given up, every attempt recorded
 * without secrets, only to channels that take the event, and never on the caller's thread.
 */
class NotifierTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String HOOK_TOKEN = "T0/B0/hooktoken-5c2d";
    private static final String KEY = "hook-key-9a0b";

    private final MemoryDeliveryLog log = new MemoryDeliveryLog();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private HttpReceiver receiver;
    private Notifier notifier;

    @BeforeEach
    void start() throws Exception {
        receiver = new HttpReceiver();
        notifier = new Notifier(log, new RetryPolicy(4, Duration.ofMillis(5), Duration.ofSeconds(10)),
                Clock.systemUTC(), warnings::add);
    }

    @AfterEach
    void stop() {
        receiver.close();
        notifier.close(Duration.ofSeconds(30));
    }

    private Function<SecretRef, String> secrets() {
        Map<String, String> values = Map.of("slack-url", receiver.url("/services/" + HOOK_TOKEN).toString(),
                "hook-key", KEY);
        return r -> values.get(r.name());
    }

    private NotifyDef signedWebhook(Set<NotifyEvent> on) {
        return Defs.webhook(Value.of(receiver.url("/ci").toString()), Defs.secret("hook-key", 1), on);
    }

    @Test
    void aReceiverThatFailsTwiceGetsTheThirdAttemptWithTheSameDeliveryId() throws Exception {
        receiver.failFirst(2, 503);

        int queued = notifier.send(List.of(signedWebhook(Defs.all())), Defs.rolledBack(), secrets());

        assertThat(queued).isEqualTo(1);
        await().atMost(WAIT).until(() -> log.finished("webhook"));
        List<Delivery> attempts = log.all();
        assertThat(attempts).extracting(Delivery::attempt).containsExactly(1, 2, 3);
        assertThat(attempts).extracting(Delivery::status).containsExactly("failed", "failed", "delivered");
        assertThat(attempts).extracting(Delivery::detail).containsExactly("HTTP 503", "HTTP 503", "HTTP 200");
        assertThat(attempts).extracting(Delivery::id).containsOnly(attempts.get(0).id());
        assertThat(attempts.get(0)).satisfies(d -> {
            assertThat(d.pipeline()).isEqualTo("tts");
            assertThat(d.event()).isEqualTo("deploy_rolled_back");
            assertThat(d.build()).isEqualTo(12L);
            assertThat(d.environment()).isEqualTo("production");
            assertThat(d.release()).isEqualTo(4);
            assertThat(d.target()).isEqualTo("127.0.0.1:" + receiver.url("/").getPort());
        });
        List<HttpReceiver.Request> requests = receiver.requests();
        assertThat(requests).hasSize(3);
        assertThat(requests).extracting(r -> r.header("X-Gantry-Delivery")).containsOnly(attempts.get(0).id());
        for (HttpReceiver.Request r : requests) {
            assertThat(WebhookChannelTest.signatureValid(r, KEY)).isTrue();
        }
    }

    @Test
    void aReceiverThatAlwaysFailsIsGivenUpAfterTheLastAttempt() throws Exception {
        receiver.failFirst(100, 500);

        notifier.send(List.of(signedWebhook(Defs.all())), Defs.rolledBack(), secrets());

        await().atMost(WAIT).until(() -> log.finished("webhook"));
        assertThat(log.statuses("webhook")).containsExactly("failed", "failed", "failed", "gave_up");
        assertThat(receiver.requests()).hasSize(4);
    }

    @Test
    void anAnswerThatARetryWouldOnlyRepeatIsGivenUpAtOnce() throws Exception {
        receiver.failFirst(100, 404);

        notifier.send(List.of(signedWebhook(Defs.all())), Defs.rolledBack(), secrets());

        await().atMost(WAIT).until(() -> log.finished("webhook"));
        assertThat(log.all()).extracting(Delivery::status).containsExactly("gave_up");
        assertThat(log.all().get(0).detail()).isEqualTo("HTTP 404");
    }

    @Test
    void aDeadSlackUrlIsRecordedByItsHostOnlyAndNoSecretReachesTheLog() throws Exception {
        int port = ChannelContract.closedPort();
        String deadUrl = "http://127.0.0.1:" + port + "/services/" + HOOK_TOKEN;
        Function<SecretRef, String> secrets = r -> r.name().equals("slack-url") ? deadUrl : KEY;
        NotifyDef slack = Defs.slack(Defs.secret("slack-url", 0), Defs.all());
        NotifyDef webhook = Defs.webhook(Value.of("http://127.0.0.1:" + port + "/ci?token=abc123"),
                Defs.secret("hook-key", 1), Defs.all());

        notifier.send(List.of(slack, webhook), Defs.rolledBack(), secrets);

        await().atMost(WAIT).until(() -> log.finished("slack") && log.finished("webhook"));
        assertThat(log.statuses("slack")).containsExactly("failed", "failed", "failed", "gave_up");
        for (Delivery d : log.all()) {
            assertThat(d.target()).isEqualTo("127.0.0.1:" + port);
            assertThat(d.toString()).doesNotContain(HOOK_TOKEN).doesNotContain("/services/")
                    .doesNotContain("abc123").doesNotContain(KEY);
            assertThat(d.detail()).isNotBlank();
        }
    }

    @Test
    void onlyChannelsWhoseOnListsTheEventAreSent() throws Exception {
        NotifyDef monitorOnly = Defs.slack(Defs.secret("slack-url", 0), Set.of(NotifyEvent.MONITOR_FAILED));
        NotifyDef rollbacks = signedWebhook(Set.of(NotifyEvent.DEPLOY_ROLLED_BACK));

        int queued = notifier.send(List.of(monitorOnly, rollbacks), Defs.rolledBack(), secrets());
        notifier.close(WAIT);

        assertThat(queued).isEqualTo(1);
        assertThat(log.all()).extracting(Delivery::channel).containsExactly("webhook");
        assertThat(receiver.requests()).extracting(HttpReceiver.Request::path).containsExactly("/ci");
    }

    @Test
    void aMonitorEventFromTheSupervisorIsSentLikeAnyOther() throws Exception {
        NotifyDef slack = Defs.slack(Defs.secret("slack-url", 0), Set.of(NotifyEvent.MONITOR_FAILED));

        notifier.send(List.of(slack), Notification.monitor(NotifyEvent.MONITOR_FAILED, "tts", "production", 3,
                "3 health checks failed in a row: HTTP 503", java.time.Instant.now()), secrets());
        notifier.close(WAIT);

        assertThat(log.all()).extracting(Delivery::status).containsExactly("delivered");
        assertThat(log.all().get(0).build()).isNull();
        assertThat(receiver.requests().get(0).text())
                .contains("[tts] production release 3: monitor failed — 3 health checks failed in a row");
    }

    @Test
    void aSecretWithoutAValueGivesTheDeliveryUpInsteadOfThrowing() throws Exception {
        NotifyDef slack = Defs.slack(Defs.secret("slack-url", 0), Defs.all());

        int queued = notifier.send(List.of(slack), Defs.rolledBack(), r -> null);
        notifier.close(WAIT);

        assertThat(queued).isEqualTo(1);
        assertThat(log.all()).singleElement().satisfies(d -> {
            assertThat(d.status()).isEqualTo("gave_up");
            assertThat(d.detail()).contains("notify[0].slack").contains("has no value");
            assertThat(d.target()).isEqualTo("{secret: slack-url}");
        });
    }

    @Test
    void closingRightAfterSendingStillMakesTheRetriesDueWithinTheDrain() throws Exception {
        receiver.failFirst(2, 502);

        notifier.send(List.of(signedWebhook(Defs.all())), Defs.rolledBack(), secrets());
        notifier.close(WAIT);

        assertThat(log.statuses("webhook")).containsExactly("failed", "failed", "delivered");
        int refused = notifier.send(List.of(signedWebhook(Defs.all())), Defs.rolledBack(), secrets());
        assertThat(refused).isZero();
        assertThat(log.all().get(3).status()).isEqualTo("gave_up");
        assertThat(log.all().get(3).detail()).isEqualTo("not sent: Gantry was stopping");
        assertThat(receiver.requests()).hasSize(3);
    }

    @Test
    void closingGivesUpWhatWouldOnlyBeRetriedLater() throws Exception {
        Notifier patient = new Notifier(log, new RetryPolicy(5, Duration.ofHours(1), Duration.ofSeconds(10)),
                Clock.systemUTC(), warnings::add);
        receiver.failFirst(100, 500);

        patient.send(List.of(signedWebhook(Defs.all())), Defs.rolledBack(), secrets());
        await().atMost(WAIT).until(() -> !log.all().isEmpty());
        patient.close(Duration.ZERO);

        assertThat(log.statuses("webhook")).containsExactly("failed", "gave_up");
        assertThat(log.all().get(1).detail()).contains("stopped");
        assertThat(patient.pending()).isZero();
    }

    @Test
    void aDeliveryLogThatCannotBeWrittenIsAWarningNotAFailure() throws Exception {
        Notifier broken = new Notifier(new dev.gantry.core.notify.DeliveryLog() {
            @Override
            public void record(Delivery attempt) {
                throw new IllegalStateException("database closed");
            }

            @Override
            public List<Delivery> recent(String pipeline, int limit) {
                return List.of();
            }
        }, new RetryPolicy(1, Duration.ZERO, Duration.ofSeconds(10)), Clock.systemUTC(), warnings::add);

        broken.send(List.of(signedWebhook(Defs.all())), Defs.rolledBack(), secrets());
        broken.close(WAIT);

        assertThat(receiver.requests()).hasSize(1);
        assertThat(warnings).singleElement().asString().contains("could not be recorded");
    }

    @Test
    void pastItsLimitOfWaitingDeliveriesANewOneIsGivenUpNotQueued() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 16, java.net.InetAddress.getLoopbackAddress())) {
            // accepts (in the backlog) and never answers: every delivery waits its whole timeout
            Notifier bounded = new Notifier(log, new RetryPolicy(1, Duration.ZERO, Duration.ofSeconds(60)),
                    Clock.systemUTC(), warnings::add, 2);
            NotifyDef hook = Defs.webhook(Value.of("http://127.0.0.1:" + silent.getLocalPort() + "/ci"), null,
                    Defs.all());
            try {
                assertThat(bounded.send(List.of(hook), Defs.rolledBack(), secrets())).isEqualTo(1);
                assertThat(bounded.send(List.of(hook), Defs.rolledBack(), secrets())).isEqualTo(1);

                assertThat(bounded.send(List.of(hook), Defs.rolledBack(), secrets())).isZero();

                assertThat(bounded.pending()).isEqualTo(2);
                assertThat(log.all()).singleElement().satisfies(d -> {
                    assertThat(d.status()).isEqualTo("gave_up");
                    assertThat(d.detail()).contains("2 deliveries are already waiting");
                });
            } finally {
                bounded.close(Duration.ZERO);
            }
        }
    }
}
