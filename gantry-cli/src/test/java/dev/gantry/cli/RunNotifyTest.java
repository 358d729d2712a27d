package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.gantry.core.notify.Delivery;
import dev.gantry.engine.notify.WebhookChannel;
import dev.gantry.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry run} sends the pipeline's {@code notify} to real receivers on loopback: a failure after nothing, no
 * repeat for a second failure, a fix; secrets from {@code --secret}; every attempt in the run's store.
 */
class RunNotifyTest {

    private static final String HOOK_KEY = "hook-key-71c9e2";
    private static final String SLACK_TOKEN = "T0CLI/B0CLI/slacktoken8d2f";

    @TempDir
    Path dir;

    private HttpServer receiver;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    record Received(String path, String event, String signature, String delivery, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            var h = exchange.getRequestHeaders();
            received.add(new Received(exchange.getRequestURI().getPath(), h.getFirst("X-Gantry-Event"),
                    h.getFirst("X-Gantry-Signature-256"), h.getFirst("X-Gantry-Delivery"),
                    exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort();
    }

    private CliFixture.Outcome run(String command) throws Exception {
        Files.writeString(dir.resolve("gantry.yml"), """
                name: notify-demo
                notify:
                  - webhook: {url: "%s/ci", secret: {secret: hook-key}, on: [build_failed, build_fixed]}
                  - slack: {url: {secret: slack-url}, on: [build_failed]}
                jobs:
                  test:
                    steps:
                      - run: %s
                """.formatted(base(), command));
        Files.writeString(dir.resolve("hook.key"), HOOK_KEY);
        Files.writeString(dir.resolve("slack.url"), base() + "/services/" + SLACK_TOKEN);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("PATH", System.getenv("PATH")), false)
                .execute("run", dir.toString(), "--branch", "main",
                        "--secret", "hook-key=@" + dir.resolve("hook.key"),
                        "--secret", "slack-url=@" + dir.resolve("slack.url"));
        return new CliFixture.Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void failuresAreSentOnChangesOnlyAndAFixIsSentWhenItPasses() throws Exception {
        CliFixture.Outcome first = run("exit 3");
        assertThat(first.exitCode()).isEqualTo(ExitCodes.FAILED);
        // gantry run waits for its notifications before it exits: both are here, nothing sleeps
        assertThat(received).extracting(Received::path)
                .containsExactlyInAnyOrder("/ci", "/services/" + SLACK_TOKEN);
        Received hook = received.stream().filter(r -> r.path().equals("/ci")).findFirst().orElseThrow();
        assertThat(hook.event()).isEqualTo("build_failed");
        assertThat(hook.signature()).isEqualTo(WebhookChannel.signature(HOOK_KEY, hook.body()));
        JsonNode body = new ObjectMapper().readTree(hook.body());
        assertThat(body.get("pipeline").asText()).isEqualTo("notify-demo");
        assertThat(body.get("build").asLong()).isEqualTo(1);
        assertThat(body.get("status").asText()).isEqualTo("failed");
        Received slack = received.stream().filter(r -> !r.path().equals("/ci")).findFirst().orElseThrow();
        assertThat(slack.text()).startsWith("{\"text\":\"[notify-demo] build #1: build failed"
                + " — failed on main (no earlier build of main)");

        received.clear();
        assertThat(run("exit 3").exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(received).as("a second failure in a row is not news").isEmpty();

        CliFixture.Outcome fixed = run("true");
        assertThat(fixed.exitCode()).isZero();
        assertThat(received).extracting(Received::event).containsExactly("build_fixed");

        try (Store store = Store.embedded(dir.resolve(".gantry/db"))) {
            List<Delivery> attempts = store.deliveries().recent("notify-demo", 10);
            assertThat(attempts).extracting(Delivery::event)
                    .containsExactlyInAnyOrder("build_fixed", "build_failed", "build_failed");
            assertThat(attempts).extracting(Delivery::status).containsOnly("delivered");
            assertThat(attempts).extracting(Delivery::target)
                    .containsOnly("127.0.0.1:" + receiver.getAddress().getPort());
            assertThat(attempts.toString()).doesNotContain(SLACK_TOKEN).doesNotContain(HOOK_KEY);
        }
        assertThat(first.out() + first.err() + fixed.out() + fixed.err()).doesNotContain(SLACK_TOKEN)
                .doesNotContain(HOOK_KEY);
    }
}
