package dev.gantry.engine.deploy;

import dev.gantry.core.load.PipelineLoader;
import dev.gantry.core.load.StepTypes;
import dev.gantry.core.pipeline.DeployDef;
import dev.gantry.core.pipeline.DeployStep;
import dev.gantry.core.pipeline.JobDef;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.pipeline.Problems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The copy of the pipeline file kept in each release's directory ({@link Deployments#PIPELINE_COPY}): what a
 * rollback and the server's supervisor read the release's gate, restart rules and monitor from, whatever the
 * pipeline says now.
 */
public final class ReleasePipeline {

    private ReleasePipeline() {
    }

    /** The pipeline a release was deployed with; empty when its copy is missing or does not parse. */
    public static Optional<Pipeline> read(Path releaseDir) {
        Path copy = releaseDir.resolve(Deployments.PIPELINE_COPY);
        if (!Files.exists(copy)) {
            return Optional.empty();
        }
        try {
            return new PipelineLoader(StepTypes.standard()).parse(Deployments.PIPELINE_COPY,
                    Files.readAllBytes(copy), new Problems());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The pipeline's deploy to {@code environment}: a deploy naming it, else one with {@code environment: auto}. */
    public static Optional<DeployDef> deployDef(Pipeline p, String environment) {
        List<DeployDef> defs = p.jobs().values().stream().map(JobDef::steps).flatMap(List::stream)
                .filter(s -> s instanceof DeployStep).map(s -> ((DeployStep) s).deploy()).toList();
        return defs.stream().filter(d -> d.environment().equals(environment)).findFirst()
                .or(() -> defs.stream().filter(d -> d.environment().equals(DeployDef.AUTO)).findFirst());
    }
}
