package dev.gantry.core.audio;

import static dev.gantry.core.audio.Signals.concat;
import static dev.gantry.core.audio.Signals.silence;
import static dev.gantry.core.audio.Signals.sine;
import static dev.gantry.core.audio.Signals.wav;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Metrics on generated signals whose answers are known in advance. */
class AudioMetricsTest {

    private static AudioMetrics measure(byte[] wav) throws AudioFormatException {
        return AudioMetrics.measure(WavReader.read("test.wav", wav));
    }

    @ParameterizedTest(name = "{0} Hz")
    @CsvSource({"110", "220", "440"})
    void sineGivesItsFrequencyLevelAndDuration(double hz) throws Exception {
        AudioMetrics m = measure(wav(16000, 16, false, sine(hz, 0.5, 2.0, 16000)));
        assertThat(m.sampleRate()).isEqualTo(16000);
        assertThat(m.durationSeconds()).isCloseTo(2.0, within(1e-9));
        assertThat(m.pitchMedianHz()).isCloseTo(hz, within(hz * 0.01));
        assertThat(m.rmsDbfs()).isCloseTo(20 * Math.log10(0.5 / Math.sqrt(2)), within(0.05));
        assertThat(m.peakDbfs()).isCloseTo(20 * Math.log10(0.5), within(0.05));
        assertThat(m.clippingRatio()).isZero();
        assertThat(m.voicedRatio()).isGreaterThan(0.95);
        assertThat(m.silenceRatio()).isZero();
    }

    @Test
    void silenceIsAllSilentAndUnvoiced() throws Exception {
        AudioMetrics m = measure(wav(8000, 16, false, silence(1.0, 8000)));
        assertThat(m.silenceRatio()).isEqualTo(1.0);
        assertThat(m.rmsDbfs()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(m.pitchMedianHz()).isNaN();
        assertThat(m.voicedRatio()).isZero();
    }

    @Test
    void measuresLeadingAndTrailingSilenceAndItsShare() throws Exception {
        float[] x = concat(silence(0.5, 16000), sine(200, 0.3, 1.0, 16000), silence(0.25, 16000));
        AudioMetrics m = measure(wav(16000, 16, false, x));
        assertThat(m.leadingSilenceSeconds()).isCloseTo(0.5, within(0.011));
        assertThat(m.trailingSilenceSeconds()).isCloseTo(0.25, within(0.011));
        assertThat(m.silenceRatio()).isCloseTo(0.75 / 1.75, within(0.01));
        assertThat(m.pitchMedianHz()).isCloseTo(200, within(2.0));
    }

    @Test
    void clippedAudioReportsItsClippingRatio() throws Exception {
        float[] x = sine(100, 2.0, 1.0, 16000);
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.max(-1f, Math.min(1f, x[i]));
        }
        AudioMetrics m = measure(wav(16000, 16, false, x));
        // a sine of amplitude 2 spends 2/3 of its time beyond +-1
        assertThat(m.clippingRatio()).isCloseTo(2.0 / 3, within(0.02));
        assertThat(m.peakDbfs()).isCloseTo(0, within(0.01));
    }

    @ParameterizedTest(name = "{0}-bit float={1}")
    @CsvSource({"8,false", "16,false", "24,false", "32,false", "32,true", "64,true"})
    void readsEverySampleFormat(int bits, boolean isFloat) throws Exception {
        AudioMetrics m = measure(wav(22050, bits, isFloat, sine(300, 0.25, 0.5, 22050)));
        assertThat(m.bitDepth()).isEqualTo(bits);
        assertThat(m.isFloat()).isEqualTo(isFloat);
        assertThat(m.peakDbfs()).isCloseTo(20 * Math.log10(0.25), within(bits == 8 ? 0.2 : 0.01));
        assertThat(m.pitchMedianHz()).isCloseTo(300, within(3.0));
    }

    @Test
    void readsMultiChannelAudioAndMixesItForLevels() throws Exception {
        Audio a = WavReader.read("stereo.wav", wav(16000, 16, false, sine(220, 0.5, 1, 16000), silence(1, 16000)));
        assertThat(a.channelCount()).isEqualTo(2);
        AudioMetrics m = AudioMetrics.measure(a);
        assertThat(m.channels()).isEqualTo(2);
        assertThat(m.peakDbfs()).isCloseTo(20 * Math.log10(0.25), within(0.05));
        assertThat(m.pitchMedianHz()).isCloseTo(220, within(2.0));
    }

    @Test
    void truncatedFileIsAClearErrorNamingIt() {
        byte[] whole = wav(16000, 16, false, sine(220, 0.5, 1, 16000));
        byte[] cut = Arrays.copyOf(whole, whole.length / 2);
        assertThatThrownBy(() -> WavReader.read("out/happy.wav", cut)).isInstanceOf(AudioFormatException.class)
                .hasMessageStartingWith("out/happy.wav: truncated: the header promises 32000 bytes of audio but the file holds");
        assertThatThrownBy(() -> WavReader.read("out/a.wav", Arrays.copyOf(whole, 30)))
                .hasMessage("out/a.wav: truncated: the 'fmt ' chunk claims 16 bytes but the file holds 10");
        assertThatThrownBy(() -> WavReader.read("out/b.wav", Arrays.copyOf(whole, 10)))
                .hasMessage("out/b.wav: not a WAV file (no RIFF/WAVE header)");
    }

    @Test
    void aChunkThatClaimsFourGigabytesIsThatFilesOwnError() {
        byte[] whole = wav(16000, 16, false, sine(220, 0.5, 0.1, 16000));
        byte[] fmt = whole.clone();
        Arrays.fill(fmt, 16, 20, (byte) 0xFF);
        assertThatThrownBy(() -> WavReader.read("out/huge.wav", fmt)).isInstanceOf(AudioFormatException.class)
                .hasMessage("out/huge.wav: truncated: the 'fmt ' chunk claims 4294967295 bytes but the file holds "
                        + (whole.length - 20));
        byte[] list = whole.clone();
        Arrays.fill(list, 40, 44, (byte) 0xFF);
        assertThatThrownBy(() -> WavReader.read("out/huge.wav", list)).isInstanceOf(AudioFormatException.class)
                .hasMessageStartingWith("out/huge.wav: truncated: the 'LIST' chunk claims 4294967295 bytes");
        byte[] data = whole.clone();
        Arrays.fill(data, 66, 70, (byte) 0xFF);
        assertThatThrownBy(() -> WavReader.read("out/huge.wav", data)).isInstanceOf(AudioFormatException.class)
                .hasMessageStartingWith("out/huge.wav: truncated: the header promises 4294967295 bytes of audio");
    }

    @Test
    void nonWavAndUnsupportedEncodingsAreClearErrors() {
        assertThatThrownBy(() -> WavReader.read("x.mp3", "ID3 not a wav at all".getBytes()))
                .hasMessage("x.mp3: not a WAV file (no RIFF/WAVE header)");
        byte[] w = wav(16000, 16, false, sine(220, 0.5, 0.1, 16000));
        w[20] = 2; // ADPCM
        assertThatThrownBy(() -> WavReader.read("adpcm.wav", w))
                .hasMessage("adpcm.wav: unsupported encoding 2 (only PCM and IEEE float)");
    }

    @Test
    void boundsAndComparisonsNameTheFileMetricValueAndLimit() throws Exception {
        AudioMetrics low = measure(wav(16000, 16, false, sine(150, 0.1, 1.0, 16000)));
        AudioMetrics high = measure(wav(16000, 16, false, sine(180, 0.1, 1.2, 16000)));
        assertThat(new Bound(Metric.RMS_DBFS, -20.0, null).violation("out/sad.wav", low))
                .contains("out/sad.wav: rms_dbfs is -23.0 dBFS, below the minimum -20.0 dBFS");
        assertThat(new Bound(Metric.SAMPLE_RATE, 22050.0, 22050.0).violation("a.wav", low))
                .contains("a.wav: sample_rate is 16000.0 Hz, expected 22050.0 Hz");
        assertThat(new Bound(Metric.DURATION, 0.5, 2.0).violation("a.wav", low)).isEmpty();
        assertThat(new Comparison(Metric.PITCH_HZ, "happy.wav", "sad.wav", Comparison.Relation.AT_LEAST, 1.10)
                .violation(high, low)).isEmpty();
        assertThat(new Comparison(Metric.PITCH_HZ, "happy.wav", "sad.wav", Comparison.Relation.AT_LEAST, 1.25)
                .violation(high, low)).get().asString()
                .startsWith("pitch_hz of happy.wav (180.").contains("is not at least 1.25 x pitch_hz of sad.wav (150.");
        assertThat(new Comparison(Metric.DURATION, "a.wav", "b.wav", Comparison.Relation.WITHIN, 0.30)
                .violation(high, low)).isEmpty();
        assertThat(new Comparison(Metric.DURATION, "a.wav", "b.wav", Comparison.Relation.WITHIN, 0.10)
                .violation(high, low)).contains("duration of a.wav (1.20 s) is not within 10% of duration of b.wav (1.00 s)");
    }
}
