package dev.gantry.engine.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.core.pipeline.NotifyDef;
import dev.gantry.core.pipeline.Value;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The generic webhook against a real HTTP receiver that checks the signature as a receiver would. */
class WebhookChannelTest extends ChannelContract {

    private static final String KEY = "hook-key-7f1e9a";

    private HttpReceiver receiver;

    @BeforeEach
    void start() throws Exception {
        receiver = new HttpReceiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Override
    NotifyDef toReceiver() {
        return Defs.webhook(Value.of(receiver.url("/ci").toString()), Defs.secret("hook-key", 1), Defs.all());
    }

    @Override
    NotifyDef toClosedPort(int port) {
        return Defs.webhook(Value.of("http://127.0.0.1:" + port + "/ci"), Defs.secret("hook-key", 1), Defs.all());
    }

    @Override
    Map<String, String> secretValues() {
        return Map.of("hook-key", KEY);
    }

    @Override
    List<String> mustNotShow() {
        return List.of(KEY, "/ci");
    }

    /** What a receiver does: HMAC-SHA256 of the exact bytes received, compared in constant time. */
    static boolean signatureValid(HttpReceiver.Request request, String key) throws Exception {
        String header = request.header("X-Gantry-Signature-256");
        if (header == null || !header.startsWith("sha256=")) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal(request.body());
        byte[] given = HexFormat.of().parseHex(header.substring("sha256=".length()));
        return MessageDigest.isEqual(expected, given);
    }

    @Override
    void assertReceivedOnce(Notification sent) throws Exception {
        assertThat(receiver.requests()).hasSize(1);
        HttpReceiver.Request request = receiver.requests().get(0);
        assertThat(signatureValid(request, KEY)).as("signature verifies with the key").isTrue();
        assertThat(signatureValid(request, "another-key")).as("signature fails with another key").isFalse();
        assertThat(request.header("X-Gantry-Event")).isEqualTo("deploy_rolled_back");
        assertThat(request.header("X-Gantry-Delivery")).isEqualTo(DELIVERY_ID);
        JsonNode body = new ObjectMapper().readTree(request.body());
        assertThat(body.get("event").asText()).isEqualTo("deploy_rolled_back");
        assertThat(body.get("pipeline").asText()).isEqualTo("tts");
        assertThat(body.get("build").asLong()).isEqualTo(12);
        assertThat(body.get("environment").asText()).isEqualTo("production");
        assertThat(body.get("release").asInt()).isEqualTo(4);
        assertThat(body.get("status").asText()).isEqualTo("rolled_back");
        assertThat(body.get("message").asText()).isEqualTo(sent.message());
        assertThat(body.get("links").get("build").asText()).isEqualTo("https://ci.example/pipelines/tts/builds/12");
        assertThat(body.get("at").asText()).isEqualTo("2026-11-30T10:15:30Z");
    }

    @Test
    void aBodyAlteredOnTheWayNoLongerMatchesItsSignature() throws Exception {
        channel(toReceiver()).send(Defs.rolledBack(), DELIVERY_ID);
        HttpReceiver.Request received = receiver.requests().get(0);
        byte[] altered = received.text().replace("rolled_back", "succeeded").getBytes(StandardCharsets.UTF_8);

        assertThat(signatureValid(new HttpReceiver.Request(received.path(), received.headers(), altered), KEY))
                .isFalse();
    }

    @Test
    void theSignatureIsTheOneDocsNotificationsMdComputesWithPythonAndOpenssl() {
        byte[] body = "{\"event\":\"build_failed\",\"x\":1}".getBytes(StandardCharsets.UTF_8);

        assertThat(WebhookChannel.signature("k3y", body))
                .isEqualTo("sha256=364298a476d0c93a5976d328823d39aa2ded6b2133beabe2081bca5e9ef0c76d");
    }

    @Test
    void withoutASecretTheBodyIsSentUnsigned() throws Exception {
        channel(Defs.webhook(Value.of(receiver.url("/ci").toString()), null, Defs.all()))
                .send(Defs.rolledBack(), DELIVERY_ID);

        assertThat(receiver.requests().get(0).header("X-Gantry-Signature-256")).isNull();
        assertThat(receiver.requests().get(0).header("X-Gantry-Event")).isEqualTo("deploy_rolled_back");
    }
}
