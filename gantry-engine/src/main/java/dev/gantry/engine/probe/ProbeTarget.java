package dev.gantry.engine.probe;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What a probe checks: the service's host and port, and for exec probes the environment and directory. */
public record ProbeTarget(String host, int port, Map<String, String> env, Path directory, List<String> shell) {

    public ProbeTarget {
        env = Map.copyOf(env);
        shell = List.copyOf(shell);
    }
}
