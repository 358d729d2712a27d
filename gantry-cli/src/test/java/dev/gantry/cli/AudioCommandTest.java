package dev.gantry.cli;

import static dev.gantry.cli.CliFixture.gantry;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AudioCommandTest {

    /** One second of a half-scale sine as a 16-bit mono WAV, written by Java Sound. */
    static byte[] sine(double hz) throws Exception {
        int rate = 16000;
        byte[] pcm = new byte[rate * 2];
        for (int i = 0; i < rate; i++) {
            short s = (short) Math.round(16383 * Math.sin(2 * Math.PI * hz * i / rate));
            pcm[2 * i] = (byte) s;
            pcm[2 * i + 1] = (byte) (s >> 8);
        }
        var format = new javax.sound.sampled.AudioFormat(rate, 16, 1, true, false);
        var in = new javax.sound.sampled.AudioInputStream(new java.io.ByteArrayInputStream(pcm), format, rate);
        var out = new java.io.ByteArrayOutputStream();
        javax.sound.sampled.AudioSystem.write(in, javax.sound.sampled.AudioFileFormat.Type.WAVE, out);
        return out.toByteArray();
    }

    @Test
    void checksFilesAndExitsByTheResult() throws Exception {
        Path dir = Files.createDirectories(Path.of("target/audio-command-test"));
        Files.write(dir.resolve("a.wav"), sine(200));
        Files.write(dir.resolve("b.wav"), sine(100));
        String a = dir.resolve("a.wav").toString();
        String b = dir.resolve("b.wav").toString();

        var ok = gantry("audio", "check", a, b, "--expect", "sample_rate=16000", "--expect", "duration=0.5..2",
                "--compare", "pitch_hz " + a + " at_least 1.5 " + b, "--report", dir.resolve("reports").toString());
        assertThat(ok.exitCode()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains(a + ": 1.00 s, 16000 Hz mono 16-bit").contains("— ok");
        assertThat(dir.resolve("reports").resolve(a.replace('/', '_') + ".json")).exists();

        var failed = gantry("audio", "check", a, "--expect", "pitch_hz=..150");
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.out()).containsPattern("FAILED .*a.wav: pitch_hz is 20\\d\\.\\d Hz, above the maximum 150.0 Hz");

        Files.write(dir.resolve("cut.wav"), Arrays.copyOf(Files.readAllBytes(dir.resolve("a.wav")), 500));
        var broken = gantry("audio", "check", dir.resolve("cut.wav").toString());
        assertThat(broken.exitCode()).isEqualTo(2);
        assertThat(broken.out()).contains("cut.wav: truncated: the header promises 32000 bytes");

        var badOption = gantry("audio", "check", a, "--expect", "loudness=3");
        assertThat(badOption.exitCode()).isEqualTo(2);
        assertThat(badOption.err()).contains("unknown metric 'loudness'").doesNotContain("\tat ");
    }

    @Test
    void aChunkClaimingFourGigabytesIsThatFilesErrorTheOthersAreCheckedAndTheExitIs2() throws Exception {
        Path dir = Files.createDirectories(Path.of("target/audio-command-test-huge"));
        byte[] huge = sine(200);
        Arrays.fill(huge, 16, 20, (byte) 0xFF); // the format chunk claims 0xFFFFFFFF bytes
        Files.write(dir.resolve("huge.wav"), huge);
        Files.write(dir.resolve("fine.wav"), sine(200));
        String fine = dir.resolve("fine.wav").toString();
        var r = gantry("audio", "check", dir.resolve("huge.wav").toString(), fine, "--expect", "sample_rate=16000");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).contains("huge.wav: truncated: the 'fmt ' chunk claims 4294967295 bytes")
                .contains(fine + ": 1.00 s, 16000 Hz mono 16-bit");
        assertThat(r.err()).doesNotContain("internal error", "Exception");
    }
}
