package dev.gantry.core.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A node of the pipeline's DAG as written in the file.
 *
 * @param timeout     limit for one attempt of the job's steps; null to use the pipeline default
 * @param parallelism how many shards of the job run (each matrix cell is sharded this many times)
 * @param uses        pool name to count, e.g. {@code gpu: 1}
 * @param limits      resources a task may use at most
 * @param volumes     named directories shared across builds, mounted into the working copy
 * @param services    background processes started before the steps, in file order
 * @param image       the container image its tasks run in (the job's, else {@code defaults.image}); null to run
 *                    them as local processes ({@code image: none}, or no image anywhere)
 * @param serial      how builds of this job may overlap across builds ({@code serial}, {@code serial_groups},
 *                    {@code max_in_flight})
 */
public record JobDef(String name, Location location, List<Ref> needs, List<StepDef> steps, Map<String, Value> env,
                     Duration timeout, RetryPolicy retry, int parallelism, MatrixDef matrix, WhenDef when,
                     Map<String, Integer> uses, Limits limits, List<VolumeDef> volumes, List<ServiceDef> services,
                     Serial serial, List<StepDef> onSuccess,
                     List<StepDef> onFailure, List<StepDef> ensure, ImageRef image) {

    public JobDef {
        needs = List.copyOf(needs);
        steps = List.copyOf(steps);
        env = Map.copyOf(env);
        uses = Map.copyOf(uses);
        services = List.copyOf(services);
        volumes = List.copyOf(volumes);
        onSuccess = List.copyOf(onSuccess);
        onFailure = List.copyOf(onFailure);
        ensure = List.copyOf(ensure);
    }

    public List<String> needNames() {
        return needs.stream().map(Ref::name).toList();
    }
}
