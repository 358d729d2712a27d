package dev.gantry.cli;

import dev.gantry.core.load.PipelineFiles;
import dev.gantry.core.validate.Pipelines;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.engine.pool.PoolOffer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options every command that reads a pipeline shares: where it is and which pools the executor offers. */
final class PipelineOptions {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH", defaultValue = ".",
            description = "The pipeline file, or a directory holding gantry.yml (default: the current directory).")
    Path path;

    @Option(names = "--pool", paramLabel = "NAME=N",
            description = "Offer a counted pool to jobs' 'uses', e.g. --pool tts-slot=3; --pool gpu=N replaces "
                    + "GPU detection. Repeatable.")
    Map<String, Integer> pools = new LinkedHashMap<>();

    /** The pools the local executor offers: detected GPUs plus {@code --pool}. */
    Map<String, Integer> offeredPools(Map<String, String> env) {
        return PoolOffer.local(pools, env);
    }

    /** Loads and validates the pipeline, throwing one exception that lists every problem found. */
    Pipeline load(Path file, Map<String, Integer> offered) throws IOException {
        return load(file, offered, null);
    }

    /** As {@link #load(Path, Map)}, with {@code fallbackImage} for jobs that name no image ({@code --image}). */
    Pipeline load(Path file, Map<String, Integer> offered, dev.gantry.core.pipeline.ImageRef fallbackImage)
            throws IOException {
        String shown = dev.gantry.cli.console.ConsoleReporter.display(file);
        return Pipelines.load(shown, PipelineFiles.read(file, shown), offered, fallbackImage);
    }

    Path file() {
        return PipelineFiles.resolve(path);
    }
}
