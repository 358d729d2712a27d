package dev.gantry.engine.audio;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.gantry.core.audio.AudioCheck;
import dev.gantry.core.audio.AudioMetrics;
import dev.gantry.core.audio.Bound;
import dev.gantry.core.audio.Comparison;
import dev.gantry.core.audio.Metric;
import dev.gantry.engine.record.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The file side of audio checks, shared by the {@code audio_check} step and {@code gantry audio check}: reads
 * the files, and writes a JSON report per file.
 */
public final class AudioFiles {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private AudioFiles() {
    }

    /** Reads the files, checks them, writes {@code report/FILE.json} for each and returns the result. */
    public static AudioCheck.Result check(Path dir, List<String> files, List<Bound> bounds,
                                          List<Comparison> comparisons, Path reportDir) throws IOException {
        Path root = dir.toRealPath();
        Map<String, byte[]> checked = new LinkedHashMap<>();
        for (String f : files) {
            checked.put(f, Files.readAllBytes(root.resolve(f)));
        }
        Map<String, byte[]> others = new LinkedHashMap<>();
        for (Comparison c : comparisons) {
            for (String f : List.of(c.a(), c.b())) {
                Path p = root.resolve(f).normalize();
                if (!checked.containsKey(f) && p.startsWith(root) && Files.isRegularFile(p)) {
                    others.put(f, Files.readAllBytes(p));
                }
            }
        }
        AudioCheck.Result result = AudioCheck.evaluate(checked, others, bounds, comparisons);
        if (reportDir != null) {
            Files.createDirectories(reportDir);
            for (AudioCheck.FileResult r : result.files()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("file", r.file());
                json.put("passed", r.passed());
                json.put("metrics", r.metrics() == null ? null : r.metrics().asMap());
                List<Map<String, Object>> checks = new ArrayList<>();
                for (Bound b : bounds) {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("metric", b.metric().key());
                    c.put("expected", b.range());
                    c.put("passed", r.metrics() != null && b.violation(r.file(), r.metrics()).isEmpty());
                    checks.add(c);
                }
                json.put("checks", checks);
                json.put("failures", r.failures());
                AtomicFiles.write(reportDir.resolve(r.file().replace('/', '_') + ".json"), JSON.writeValueAsBytes(json));
            }
        }
        return result;
    }

    /** One line a person reads: {@code out/happy.wav: 2.31 s, 16000 Hz mono 16-bit, rms -21.3 dBFS, ...}. */
    public static String summary(AudioCheck.FileResult r) {
        AudioMetrics m = r.metrics();
        if (m == null) {
            return r.failures().get(0);
        }
        String ch = m.channels() == 1 ? "mono" : m.channels() == 2 ? "stereo" : m.channels() + " channels";
        return String.format(Locale.ROOT, "%s: %.2f s, %d Hz %s %d-bit%s, rms %s, peak %s, pitch %s, silence %.0f%%%s",
                r.file(), m.durationSeconds(), m.sampleRate(), ch, m.bitDepth(), m.isFloat() ? " float" : "",
                Metric.RMS_DBFS.format(m.rmsDbfs()), Metric.PEAK_DBFS.format(m.peakDbfs()),
                Double.isNaN(m.pitchMedianHz()) ? "none" : Metric.PITCH_HZ.format(m.pitchMedianHz()),
                m.silenceRatio() * 100, r.passed() ? " — ok" : " — FAILED");
    }
}
