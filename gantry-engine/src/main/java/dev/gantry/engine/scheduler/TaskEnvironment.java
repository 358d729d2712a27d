package dev.gantry.engine.scheduler;

import dev.gantry.core.plan.Revision;
import dev.gantry.core.plan.TaskPlan;
import dev.gantry.engine.event.BuildInfo;
import dev.gantry.engine.pool.Allocation;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds the environment a task's steps see: inherited, then the pipeline's, then Gantry's own variables. */
final class TaskEnvironment {

    private TaskEnvironment() {
    }

    static Map<String, String> of(Map<String, String> base, BuildInfo build, TaskPlan task, String taskId,
                                  Allocation allocation, int gpusOffered, java.nio.file.Path tools,
                                  java.util.function.Function<dev.gantry.core.pipeline.SecretRef, String> secrets) {
        Map<String, String> env = new HashMap<>(base);
        if (tools != null) {
            String path = env.get("PATH");
            env.put("PATH", tools + (path == null || path.isEmpty() ? "" : java.io.File.pathSeparator + path));
        }
        env.putAll(dev.gantry.core.pipeline.Value.resolveAll(task.env(), secrets));
        env.put("CI", "true");
        env.put("GANTRY", "true");
        env.put("GANTRY_BUILD", String.valueOf(build.number()));
        env.put("GANTRY_BUILD_ID", build.id());
        env.put("GANTRY_TASK", task.name());
        env.put("GANTRY_TASK_ID", taskId);
        env.put("GANTRY_TIMINGS_FILE", build.timingsSnapshot(task.job().name()).toString());
        Revision rev = build.revision();
        putIfKnown(env, "GANTRY_COMMIT", rev.commit());
        putIfKnown(env, "GANTRY_BRANCH", rev.branch());
        putIfKnown(env, "GANTRY_TAG", rev.tag());
        allocation.slots().forEach((pool, slots) -> env.put(
                "GANTRY_POOL_" + pool.toUpperCase(Locale.ROOT).replace('-', '_'), join(slots)));
        List<Integer> gpus = allocation.slots().get("gpu");
        if (gpus != null) {
            env.put("CUDA_VISIBLE_DEVICES", join(gpus));
        } else if (gpusOffered > 0) {
            env.put("CUDA_VISIBLE_DEVICES", "");
        }
        return env;
    }

    private static void putIfKnown(Map<String, String> env, String key, String value) {
        if (value != null) {
            env.put(key, value);
        }
    }

    private static String join(List<Integer> slots) {
        return slots.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
