package dev.gantry.engine.step;

import dev.gantry.core.audio.AudioCheck;
import dev.gantry.core.pipeline.AudioCheckStep;
import dev.gantry.core.pipeline.StepDef;
import dev.gantry.engine.audio.AudioFiles;
import dev.gantry.engine.run.Outcome;
import dev.gantry.engine.run.TaskState;
import dev.gantry.engine.workspace.Globs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Runs an {@code audio_check} step in the task's working directory. */
final class AudioCheckRunner implements StepRunner {

    @Override
    public String type() {
        return AudioCheckStep.TYPE;
    }

    @Override
    public Outcome run(StepDef def, StepContext ctx) {
        AudioCheckStep step = (AudioCheckStep) def;
        Path dir = ctx.workingDirectory();
        try {
            List<String> files = Globs.files(dir, step.files());
            if (files.isEmpty()) {
                return new Outcome(TaskState.FAILED, 1, "no file matched " + String.join(", ", step.files()));
            }
            AudioCheck.Result result = AudioFiles.check(dir, files, step.expect(), step.compare(),
                    dir.resolve(step.report()).normalize());
            result.files().forEach(r -> ctx.output(AudioFiles.summary(r)));
            List<String> failures = result.failures();
            failures.forEach(f -> ctx.output("FAILED " + f));
            ctx.output("audio reports: " + step.report() + "/");
            if (failures.isEmpty()) {
                return Outcome.SUCCESS;
            }
            return new Outcome(TaskState.FAILED, 1, failures.size() == 1 ? failures.get(0)
                    : failures.size() + " audio checks failed; first: " + failures.get(0));
        } catch (IOException e) {
            return Outcome.errored("cannot read audio files: " + e.getMessage());
        }
    }
}
