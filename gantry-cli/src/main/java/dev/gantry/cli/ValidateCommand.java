package dev.gantry.cli;

import dev.gantry.core.pipeline.Pipeline;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gantry validate}: checks a pipeline and lists every problem; runs nothing. */
@Command(name = "validate", description = "Check a pipeline without running it; lists every error (exit 2 if any).")
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    PipelineOptions pipeline;

    @Spec
    CommandSpec spec;

    private final Main main;

    ValidateCommand(Main main) {
        this.main = main;
    }

    @Override
    public Integer call() throws Exception {
        var file = pipeline.file();
        Pipeline p = pipeline.load(file, pipeline.offeredPools(main.env()));
        long tasks = p.jobs().values().stream()
                .mapToLong(j -> j.matrix().cells().size() * (long) j.parallelism()).sum();
        main.out().println(file.getFileName() + " is valid: pipeline '" + p.name() + "', " + p.jobs().size()
                + " jobs, " + tasks + " tasks");
        return ExitCodes.OK;
    }
}
