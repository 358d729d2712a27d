package dev.gantry.engine.step;

import dev.gantry.core.pipeline.ArtifactsStep;
import dev.gantry.core.pipeline.Sizes;
import dev.gantry.core.pipeline.StepDef;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.run.Outcome;
import dev.gantry.engine.workspace.Globs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;

/**
 * Copies matching files into the build's artifact directory. Finding nothing is reported but is not a failure,
 * so an {@code on_failure} hook that keeps whatever exists never hides the real failure.
 */
final class ArtifactsRunner implements StepRunner {

    @Override
    public String type() {
        return ArtifactsStep.TYPE;
    }

    @Override
    public Outcome run(StepDef def, StepContext ctx) {
        ArtifactsStep step = (ArtifactsStep) def;
        Path target = ctx.artifactsDirectory().resolve(step.artifactName());
        try {
            List<String> files = Globs.files(ctx.workingDirectory(), step.paths());
            if (files.isEmpty()) {
                ctx.output("no files matched " + String.join(", ", step.paths()) + "; nothing kept");
                return Outcome.SUCCESS;
            }
            long bytes = 0;
            for (String f : files) {
                Path dst = target.resolve(f);
                Files.createDirectories(dst.getParent());
                Files.copy(ctx.workingDirectory().resolve(f), dst, StandardCopyOption.REPLACE_EXISTING);
                bytes += Files.size(dst);
            }
            ctx.output("kept " + files.size() + (files.size() == 1 ? " file" : " files") + " (" + Sizes.format(bytes)
                    + ") as artifact '" + step.artifactName() + "'");
            ctx.report(new BuildEvent.ArtifactsSaved(Instant.now(), ctx.taskName(), step.artifactName(), target,
                    files.size(), bytes));
            return Outcome.SUCCESS;
        } catch (IOException e) {
            return Outcome.errored("cannot keep artifacts: " + e.getMessage());
        }
    }
}
