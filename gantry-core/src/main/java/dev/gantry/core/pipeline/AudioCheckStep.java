package dev.gantry.core.pipeline;

import dev.gantry.core.audio.Bound;
import dev.gantry.core.audio.Comparison;
import java.util.List;

/**
 * Checks WAV files a job produced: each file matched by {@code files} against {@code expect}, then the
 * {@code compare} relations between files; a JSON report per file goes under {@code report}.
 *
 * @param files  globs relative to the step's directory, e.g. {@code out/*.wav}
 * @param report directory for the JSON reports, relative to the step's directory
 */
public record AudioCheckStep(String name, List<String> files, List<Bound> expect, List<Comparison> compare,
                             String report, Location location, String path) implements StepDef {

    public static final String TYPE = "audio_check";
    public static final String DEFAULT_REPORT_DIR = "audio-reports";

    public AudioCheckStep {
        files = List.copyOf(files);
        expect = List.copyOf(expect);
        compare = List.copyOf(compare);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
