package dev.gantry.core.pipeline;

import java.util.List;
import java.util.stream.Collectors;

/** The one exception root for configuration errors: carries every problem found, each with its place. */
public class PipelineException extends RuntimeException {

    private final List<Problem> problems;

    public PipelineException(List<Problem> problems) {
        super(problems.stream().map(Problem::format).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public PipelineException(Problem problem) {
        this(List.of(problem));
    }

    public List<Problem> problems() {
        return problems;
    }
}
