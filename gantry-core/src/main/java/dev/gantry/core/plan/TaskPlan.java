package dev.gantry.core.plan;

import dev.gantry.core.pipeline.JobDef;
import java.util.List;
import java.util.Map;

/**
 * One runnable instance of a job: a shard of a matrix cell. The unit the scheduler places.
 *
 * @param name       unique in the build, e.g. {@code test[os=linux][1]}
 * @param dependsOn  names of the tasks that must succeed first
 * @param env        pipeline and job env (secrets still unresolved) plus the task's own variables (node index, matrix values)
 * @param skipReason why the task will not run (its job's {@code when} did not match), or null
 */
public record TaskPlan(String name, JobDef job, int nodeIndex, int nodeTotal, Map<String, String> matrix,
                       List<String> dependsOn, Map<String, dev.gantry.core.pipeline.Value> env, PlanNode root, String skipReason) {

    public TaskPlan {
        matrix = Map.copyOf(matrix);
        dependsOn = List.copyOf(dependsOn);
        env = Map.copyOf(env);
    }

    public Map<String, Integer> uses() {
        return job.uses();
    }
}
