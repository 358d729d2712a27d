package dev.gantry.core.validate;

import dev.gantry.core.load.PipelineLoader;
import dev.gantry.core.load.StepTypes;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.pipeline.PipelineException;
import dev.gantry.core.pipeline.Problems;
import java.util.Map;
import java.util.Optional;

/** Loading a pipeline the way every command and the server do: parse, then validate against the pools offered. */
public final class Pipelines {

    private Pipelines() {
    }

    /**
     * The pipeline in {@code yaml}, or a {@link PipelineException} listing every problem found.
     *
     * @param shown   the file's name as errors should show it
     * @param offered the pools the executor offers, which jobs' {@code uses} are checked against
     */
    public static Pipeline load(String shown, byte[] yaml, Map<String, Integer> offered) {
        return load(shown, yaml, offered, null);
    }

    /** As {@link #load(String, byte[], Map)}, with {@code fallbackImage} for jobs that name no image. */
    public static Pipeline load(String shown, byte[] yaml, Map<String, Integer> offered,
                                dev.gantry.core.pipeline.ImageRef fallbackImage) {
        Problems problems = new Problems();
        Optional<Pipeline> pipeline = new PipelineLoader(StepTypes.standard(), fallbackImage)
                .parse(shown, yaml, problems);
        pipeline.ifPresent(p -> new PipelineValidator(offered).validate(p, problems));
        problems.throwIfAny();
        return pipeline.orElseThrow();
    }
}
