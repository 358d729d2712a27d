package dev.gantry.engine.probe;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a probe checks: the service's host and port, and for exec probes the environment and directory.
 *
 * @param where where exec probes run: the task's executor, so that they run where its steps do (inside its
 *              container on Docker); null to run them as processes of this machine
 */
public record ProbeTarget(String host, int port, Map<String, String> env, Path directory, List<String> shell,
                          dev.gantry.engine.exec.Executor where) {

    public ProbeTarget {
        env = Map.copyOf(env);
        shell = List.copyOf(shell);
    }

    /** A target whose exec probes run on this machine. */
    public ProbeTarget(String host, int port, Map<String, String> env, Path directory, List<String> shell) {
        this(host, port, env, directory, shell, null);
    }
}
