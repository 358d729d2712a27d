package dev.gantry.examples.tts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real synthesis with the bundled voice: emotions must change the audio measurably. */
class SynthesizerTest {

    private static Synthesizer synth;

    @BeforeAll
    static void loadVoice() {
        synth = new Synthesizer();
    }

    /** Duration in seconds, RMS, and zero-crossing rate (a rough stand-in for pitch) of a WAV. */
    record Measured(double seconds, double rms, double zeroCrossingsPerSecond) {
    }

    static Measured measure(byte[] wav) throws Exception {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
            byte[] d = in.readAllBytes();
            int n = d.length / 2;
            double sum = 0;
            int crossings = 0;
            short prev = 0;
            for (int i = 0; i < n; i++) {
                short s = (short) ((d[2 * i + 1] << 8) | (d[2 * i] & 0xff));
                sum += (double) s * s;
                if (i > 0 && (prev < 0) != (s < 0)) {
                    crossings++;
                }
                prev = s;
            }
            double seconds = n / in.getFormat().getSampleRate();
            return new Measured(seconds, Math.sqrt(sum / n), crossings / seconds);
        }
    }

    @Test
    void speaksASentenceAsPlausibleAudio() throws Exception {
        Measured m = measure(synth.speak("The quick brown fox jumps over the lazy dog.", Prosody.NEUTRAL));
        assertThat(m.seconds()).isBetween(1.0, 6.0);
        assertThat(m.rms()).isGreaterThan(300);
    }

    @Test
    void sadSpeechIsSlowerAndQuieterThanHappySpeech() throws Exception {
        String text = "I have some news about the project today.";
        Measured happy = measure(synth.speak(text, Prosody.of(Emotion.HAPPY, 1, 1)));
        Measured sad = measure(synth.speak(text, Prosody.of(Emotion.SAD, 1, 1)));
        assertThat(sad.seconds()).isGreaterThan(happy.seconds() * 1.2);
        assertThat(sad.rms()).isLessThan(happy.rms() * 0.8);
    }

    @Test
    void speedChangesTheDuration() throws Exception {
        String text = "Testing the speaking rate of the voice.";
        Measured normal = measure(synth.speak(text, Prosody.of(Emotion.NEUTRAL, 0, 1)));
        Measured fast = measure(synth.speak(text, Prosody.of(Emotion.NEUTRAL, 0, 2)));
        assertThat(fast.seconds()).isLessThan(normal.seconds() * 0.75);
    }
}
