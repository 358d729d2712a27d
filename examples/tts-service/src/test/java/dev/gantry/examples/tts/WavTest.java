package dev.gantry.examples.tts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;

class WavTest {

    @Test
    void writesAWavThatJavaSoundReadsBack() throws Exception {
        short[] samples = {0, 1000, -1000, Short.MAX_VALUE, Short.MIN_VALUE};
        byte[] wav = Wav.encode(samples, 16000);
        assertThat(wav).hasSize(44 + 10);
        assertThat(new String(wav, 0, 4)).isEqualTo("RIFF");
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
            AudioFormat f = in.getFormat();
            assertThat(f.getSampleRate()).isEqualTo(16000f);
            assertThat(f.getChannels()).isEqualTo(1);
            assertThat(f.getSampleSizeInBits()).isEqualTo(16);
            assertThat(f.isBigEndian()).isFalse();
            assertThat(in.getFrameLength()).isEqualTo(5);
            byte[] data = in.readAllBytes();
            assertThat((short) ((data[7] << 8) | (data[6] & 0xff))).isEqualTo(Short.MAX_VALUE);
        }
    }
}
