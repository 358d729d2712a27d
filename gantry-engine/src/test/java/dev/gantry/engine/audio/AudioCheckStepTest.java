package dev.gantry.engine.audio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.BuildFixture;
import dev.gantry.engine.run.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioCheckStepTest {

    @TempDir
    Path dir;

    @BeforeEach
    void audio() throws Exception {
        Files.createDirectories(dir.resolve("samples"));
        Files.write(dir.resolve("samples/happy.wav"), TestWavs.sine(180, 0.5, 1.0, 16000));
        Files.write(dir.resolve("samples/sad.wav"), TestWavs.sine(150, 0.2, 1.2, 16000));
    }

    @Test
    void passingChecksPrintMetricsAndWriteAJsonReportPerFile() throws Exception {
        var r = new BuildFixture(dir).run("""
                jobs:
                  check:
                    steps:
                      - run: cp samples/*.wav . && mkdir -p out && mv happy.wav sad.wav out/
                      - audio_check:
                          files: out/*.wav
                          expect:
                            sample_rate: 16000
                            channels: 1
                            duration: {min: 500ms, max: 5s}
                            rms_dbfs: {min: -30, max: -3}
                            pitch_hz: {min: 100, max: 300}
                          compare:
                            - {metric: pitch_hz, a: out/happy.wav, b: out/sad.wav, at_least: 1.10}
                            - {metric: duration, a: out/happy.wav, b: out/sad.wav, within: 0.30}
                      - run: cat audio-reports/out_happy.wav.json
                """);
        assertThat(r.task("check").state()).as(r.task("check").reason()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(r.output("check")).anySatisfy(l -> assertThat(l)
                .startsWith("out/happy.wav: 1.00 s, 16000 Hz mono 16-bit, rms -9.0 dBFS").endsWith(" — ok"));
        JsonNode report = new ObjectMapper().readTree(String.join("\n", r.output("check").subList(
                r.output("check").indexOf("{"), r.output("check").size())));
        assertThat(report.get("file").asText()).isEqualTo("out/happy.wav");
        assertThat(report.get("passed").asBoolean()).isTrue();
        assertThat(report.at("/metrics/pitch_hz").asDouble()).isBetween(178.0, 182.0);
    }

    @Test
    void failuresNameTheFileMetricValueAndBoundAndOtherFilesAreStillChecked() throws Exception {
        byte[] whole = Files.readAllBytes(dir.resolve("samples/happy.wav"));
        Files.write(dir.resolve("samples/broken.wav"), Arrays.copyOf(whole, 1000));
        var r = new BuildFixture(dir).run("""
                jobs:
                  check:
                    steps:
                      - audio_check:
                          files: [samples/*.wav]
                          expect:
                            rms_dbfs: {min: -12}
                          compare:
                            - {metric: pitch_hz, a: samples/sad.wav, b: samples/happy.wav, at_least: 1.10}
                """);
        assertThat(r.task("check").state()).isEqualTo(TaskState.FAILED);
        assertThat(r.task("check").reason()).startsWith("3 audio checks failed; first: samples/broken.wav: truncated");
        assertThat(r.output("check"))
                .contains("FAILED samples/sad.wav: rms_dbfs is -17.0 dBFS, below the minimum -12.0 dBFS")
                .anySatisfy(l -> assertThat(l).startsWith("FAILED pitch_hz of samples/sad.wav (150."))
                .anySatisfy(l -> assertThat(l).startsWith("samples/happy.wav: 1.00 s").endsWith("— ok"));
    }

    @Test
    void aChunkClaimingFourGigabytesIsThatFilesErrorAndTheOthersAreStillChecked() throws Exception {
        byte[] huge = Files.readAllBytes(dir.resolve("samples/happy.wav"));
        Arrays.fill(huge, 16, 20, (byte) 0xFF); // the format chunk claims 0xFFFFFFFF bytes
        Files.write(dir.resolve("samples/huge.wav"), huge);
        var r = new BuildFixture(dir).run("""
                jobs:
                  check:
                    steps:
                      - audio_check: {files: samples/*.wav, expect: {channels: 1}}
                """);
        assertThat(r.task("check").state()).isEqualTo(TaskState.FAILED);
        assertThat(r.task("check").reason()).isEqualTo("samples/huge.wav: truncated: the 'fmt ' chunk claims "
                + "4294967295 bytes but the file holds 32024");
        assertThat(r.output("check"))
                .anySatisfy(l -> assertThat(l).startsWith("samples/happy.wav: 1.00 s").endsWith("— ok"))
                .anySatisfy(l -> assertThat(l).startsWith("samples/sad.wav: 1.20 s").endsWith("— ok"));
    }

    @Test
    void noMatchingFileFailsTheStep() {
        var r = new BuildFixture(dir).run("""
                jobs:
                  check:
                    steps:
                      - audio_check: {files: out/*.wav, expect: {channels: 1}}
                """);
        assertThat(r.task("check").state()).isEqualTo(TaskState.FAILED);
        assertThat(r.task("check").reason()).isEqualTo("no file matched out/*.wav");
    }
}
