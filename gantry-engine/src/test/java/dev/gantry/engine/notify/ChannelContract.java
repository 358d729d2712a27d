package dev.gantry.engine.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.pipeline.NotifyDef;
import dev.gantry.core.pipeline.SecretRef;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Channel} must do, run against a real receiver of its kind: deliver one attempt that the
 * receiver sees in full, show no secret in its target, and report an unreachable receiver as a failure worth
 * retrying.
 */
abstract class ChannelContract {

    static final String DELIVERY_ID = "d-0f3c";

    /** The entry that sends to this test's receiver, secrets referenced by name. */
    abstract NotifyDef toReceiver();

    /** The same kind of entry aimed at {@code port}, where nothing listens. */
    abstract NotifyDef toClosedPort(int port);

    /** The values of the secrets the entries reference. */
    abstract Map<String, String> secretValues();

    /** Checks the receiver got exactly {@code sent}, once, in this kind's format. */
    abstract void assertReceivedOnce(Notification sent) throws Exception;

    /** Parts of the secret values that must never appear where people look (the target, the log). */
    abstract List<String> mustNotShow();

    Channel channel(NotifyDef def) throws DeliveryException {
        Function<SecretRef, String> secrets = r -> secretValues().get(r.name());
        return new Channels(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
                new RetryPolicy(1, Duration.ZERO, Duration.ofSeconds(10))).resolve(def, secrets).channel();
    }

    @Test
    void deliversOneAttemptTheReceiverSeesInFull() throws Exception {
        Notification sent = Defs.rolledBack();

        String answer = channel(toReceiver()).send(sent, DELIVERY_ID);

        assertThat(answer).isNotBlank();
        assertReceivedOnce(sent);
    }

    @Test
    void itsTargetShowsWhereItGoesButNoSecret() throws Exception {
        Channel channel = channel(toReceiver());

        assertThat(channel.target()).contains("127.0.0.1");
        for (String secret : mustNotShow()) {
            assertThat(channel.target()).doesNotContain(secret);
        }
        assertThat(channel.kind()).isEqualTo(toReceiver().channel().yamlName());
    }

    @Test
    void anUnreachableReceiverIsAFailureWorthRetrying() throws Exception {
        Channel channel = channel(toClosedPort(closedPort()));

        assertThatThrownBy(() -> channel.send(Defs.rolledBack(), DELIVERY_ID))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isTrue());
    }

    /** A port on loopback nothing listens on: taken from the OS, then released. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
