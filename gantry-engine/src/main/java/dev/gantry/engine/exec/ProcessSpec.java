package dev.gantry.engine.exec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to start for a step.
 *
 * @param command the full command line, e.g. {@code bash -eo pipefail -c 'make test'}
 * @param env     the complete environment (nothing else is inherited)
 * @param marker  {@code KEY=value} entry, also present in {@code env}, that identifies this step's processes
 */
public record ProcessSpec(List<String> command, Map<String, String> env, Path directory, String marker) {

    public ProcessSpec {
        command = List.copyOf(command);
        env = Map.copyOf(env);
    }
}
