package dev.gantry.core.plan;

import dev.gantry.core.pipeline.JobDef;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a task is called ({@code test[os=linux,py=3.12][1]}) and the key its working copy, log file, artifact
 * directory and test record are named by ({@code test-os=linux,py=3.12-1}). Keys are not one-to-one ({@code "a b"}
 * and {@code "a/b"} both become {@code a_b}), so the validator refuses a pipeline two of whose tasks would share
 * one; both live here so that the planner, the engine and the validator always agree.
 */
public final class TaskNames {

    private TaskNames() {
    }

    /** The name of one task of a job: the job, its matrix cell, and its shard when the job has several. */
    public static String name(JobDef job, Map<String, String> cell, int shard) {
        StringBuilder name = new StringBuilder(job.name());
        if (!cell.isEmpty()) {
            name.append(cell.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(",", "[", "]")));
        }
        if (job.parallelism() > 1) {
            name.append('[').append(shard).append(']');
        }
        return name.toString();
    }

    /** The task's name in a form safe for file names and markers. */
    public static String key(String taskName) {
        StringBuilder out = new StringBuilder();
        for (char c : taskName.toCharArray()) {
            if (c == '[') {
                out.append('-');
            } else if (c == ']') {
                continue;
            } else if (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-' || c == '=' || c == ',') {
                out.append(c);
            } else {
                out.append('_');
            }
        }
        return out.toString();
    }
}
