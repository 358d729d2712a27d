package dev.gantry.engine.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.core.pipeline.NotifyDef;
import dev.gantry.core.pipeline.Value;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The Slack channel against a real HTTP receiver standing in for an incoming webhook. */
class SlackChannelTest extends ChannelContract {

    private HttpReceiver receiver;

    @BeforeEach
    void start() throws Exception {
        receiver = new HttpReceiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private String hookUrl() {
        return receiver.url("/services/T0GANTRY/B0TEST/s3cr3tHookToken").toString();
    }

    @Override
    NotifyDef toReceiver() {
        return Defs.slack(Defs.secret("slack-url", 0), Defs.all());
    }

    @Override
    NotifyDef toClosedPort(int port) {
        return Defs.slack(Value.of("http://127.0.0.1:" + port + "/services/T0/B0/x"), Defs.all());
    }

    @Override
    Map<String, String> secretValues() {
        return Map.of("slack-url", hookUrl());
    }

    @Override
    List<String> mustNotShow() {
        return List.of("s3cr3tHookToken", "/services/");
    }

    @Override
    void assertReceivedOnce(Notification sent) throws Exception {
        assertThat(receiver.requests()).hasSize(1);
        HttpReceiver.Request request = receiver.requests().get(0);
        assertThat(request.path()).isEqualTo("/services/T0GANTRY/B0TEST/s3cr3tHookToken");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        JsonNode body = new ObjectMapper().readTree(request.body());
        assertThat(body.fieldNames()).toIterable().containsExactly("text");
        assertThat(body.get("text").asText())
                .startsWith("[tts] production release 4: deploy rolled back (build #12) — gate failed")
                .contains("release 3 serves production")
                .contains("build: https://ci.example/pipelines/tts/builds/12");
    }
}
