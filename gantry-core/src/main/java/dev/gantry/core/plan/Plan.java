package dev.gantry.core.plan;

import dev.gantry.core.pipeline.Pipeline;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything a build will run, in a stable order that respects {@code needs}. */
public record Plan(Pipeline pipeline, Revision revision, List<TaskPlan> tasks) {

    public Plan {
        tasks = List.copyOf(tasks);
    }

    /** Each task's job, by task name. */
    public Map<String, String> jobsByTask() {
        Map<String, String> jobs = new LinkedHashMap<>();
        tasks.forEach(t -> jobs.put(t.name(), t.job().name()));
        return jobs;
    }

    public Optional<TaskPlan> task(String name) {
        return tasks.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
