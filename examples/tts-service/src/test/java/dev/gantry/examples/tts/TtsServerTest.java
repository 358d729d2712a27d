package dev.gantry.examples.tts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The service over real HTTP on a free port. */
class TtsServerTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static TtsServer server;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        server = new TtsServer("127.0.0.1", 0).start(Synthesizer::new, Duration.ZERO);
        base = "http://127.0.0.1:" + server.port();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (get("/health/ready").statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<byte[]> post(String base, String json) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/tts"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void reportsReadyWithTheModelLoaded() throws Exception {
        HttpResponse<String> r = get("/health/ready");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"status\":\"ready\"", "\"model_loaded\":true", "\"voice\":\"kevin16\"");
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Emotion.class)
    void speaksEveryEmotionAsAWav(Emotion e) throws Exception {
        HttpResponse<byte[]> r = post(base, "{\"text\":\"Hello from the test suite.\",\"emotion\":\""
                + e.name().toLowerCase() + "\",\"intensity\":0.9}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("audio/wav");
        assertThat(new String(r.body(), 0, 4)).isEqualTo("RIFF");
        assertThat(r.body().length).isGreaterThan(20_000);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"text\":\"\"}|'text' must be a non-empty string",
        "{\"text\":\"hi\",\"emotion\":\"bored\"}|unknown emotion 'bored'",
        "{oops|malformed JSON",
    })
    void badInputGetsA400WithAJsonError(String body, String message) throws Exception {
        HttpResponse<byte[]> r = post(base, body);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(new String(r.body())).startsWith("{\"error\":\"" + message.replace("\"", "\\\""));
    }

    @Test
    void wrongMethodAndUnknownPathAreClientErrors() throws Exception {
        assertThat(get("/tts").statusCode()).isEqualTo(405);
        assertThat(get("/speak").statusCode()).isEqualTo(404);
    }

    @Test
    void reportsLoadingAndRefusesSynthesisUntilWarmedUp() throws Exception {
        try (TtsServer slow = new TtsServer("127.0.0.1", 0).start(Synthesizer::new, Duration.ofSeconds(2))) {
            String url = "http://127.0.0.1:" + slow.port();
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("\"status\":\"loading\"", "\"model_loaded\":false");
            assertThat(post(url, "{\"text\":\"too early\"}").statusCode()).isEqualTo(503);
        }
    }

    @Test
    void closingDrainsARequestInFlight() throws Exception {
        try (TtsServer draining = new TtsServer("127.0.0.1", 0).start(Synthesizer::new, Duration.ZERO)) {
            String url = "http://127.0.0.1:" + draining.port();
            while (CLIENT.send(HttpRequest.newBuilder(URI.create(url + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() != 200) {
                Thread.sleep(20);
            }
            String longText = "This sentence is long enough to keep the voice busy for a while. ".repeat(12);
            CompletableFuture<HttpResponse<byte[]>> pending = CompletableFuture.supplyAsync(() -> {
                try {
                    return post(url, "{\"text\":\"" + longText + "\",\"emotion\":\"sad\",\"intensity\":1}");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            while (draining.inFlight() == 0) {
                Thread.sleep(1);
            }
            draining.close();
            HttpResponse<byte[]> r = pending.get();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body().length).isGreaterThan(100_000);
        }
    }
}
