package dev.gantry.examples.tts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;

/**
 * {@code --silent} makes the broken release the deploy gate exists for: it loads, reports the model loaded and
 * answers every request with a well-formed WAV of the right length, and every sample of it is zero.
 */
class SilentReleaseTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final String SENTENCE = "{\"text\":\"Release check.\",\"emotion\":\"happy\",\"intensity\":0.8}";

    @Test
    void aSilentServiceLooksHealthyAndAnswersWithSilenceAsLongAsTheSpeech() throws Exception {
        try (TtsServer voiced = readyServer(false); TtsServer silent = readyServer(true)) {
            HttpResponse<String> ready = get(silent, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"status\":\"ready\"", "\"model_loaded\":true");

            HttpResponse<byte[]> quiet = post(silent);
            assertThat(quiet.statusCode()).isEqualTo(200);
            assertThat(quiet.headers().firstValue("Content-Type")).contains("audio/wav");
            Pcm silence = Pcm.of(quiet.body());
            Pcm speech = Pcm.of(post(voiced).body());

            assertThat(speech.peak()).as("the real voice speaks").isGreaterThan(1000);
            assertThat(speech.rms()).isGreaterThan(300);
            assertThat(silence.samples()).as("same length as the speech").isEqualTo(speech.samples());
            assertThat(silence.seconds()).isGreaterThan(0.5);
            assertThat(silence.peak()).as("every sample is zero").isZero();
        }
    }

    @Test
    void theSilentFlagIsParsedWithoutAValueBesideValuedOptions() {
        assertThat(TtsServer.options(new String[] {"--port", "0", "--silent", "--warmup", "1s"}))
                .containsEntry("port", "0").containsEntry("silent", "true").containsEntry("warmup", "1s");
        assertThat(TtsServer.options(new String[] {"--port", "0"})).doesNotContainKey("silent");
    }

    /** The 16-bit mono samples of a WAV, with their peak and RMS. */
    record Pcm(int samples, double seconds, int peak, double rms) {

        static Pcm of(byte[] wav) throws Exception {
            try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
                byte[] d = in.readAllBytes();
                int n = d.length / 2;
                int peak = 0;
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    short s = (short) ((d[2 * i + 1] << 8) | (d[2 * i] & 0xff));
                    peak = Math.max(peak, Math.abs(s));
                    sum += (double) s * s;
                }
                return new Pcm(n, n / in.getFormat().getSampleRate(), peak, Math.sqrt(sum / Math.max(1, n)));
            }
        }
    }

    private static TtsServer readyServer(boolean silent) throws Exception {
        TtsServer server = new TtsServer("127.0.0.1", 0).start(() -> new Synthesizer(silent), Duration.ZERO);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (get(server, "/health/ready").statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return server;
    }

    private static HttpResponse<String> get(TtsServer server, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> post(TtsServer server) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/tts"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(SENTENCE)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
