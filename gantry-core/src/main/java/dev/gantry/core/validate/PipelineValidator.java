package dev.gantry.core.validate;

import dev.gantry.core.graph.Cycles;
import dev.gantry.core.load.Suggestions;
import dev.gantry.core.pipeline.JobDef;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.pipeline.Problems;
import dev.gantry.core.pipeline.Ref;
import dev.gantry.core.plan.TaskNames;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whole-pipeline rules that no single key can check: {@code needs} naming real jobs, no cycles, pools that the
 * executor actually offers in the amounts asked, tasks that would not share their files, deploys to declared
 * environments ({@link DeployRules}), batches against the job's own services ({@link BatchRules}), and services'
 * images against their job's ({@link ImageRules}).
 */
public final class PipelineValidator {

    private final Map<String, Integer> offeredPools;

    /** @param offeredPools what the executor offers, e.g. {@code gpu=1, tts-slot=3} */
    public PipelineValidator(Map<String, Integer> offeredPools) {
        this.offeredPools = Map.copyOf(offeredPools);
    }

    public void validate(Pipeline pipeline, Problems problems) {
        Map<String, JobDef> jobs = pipeline.jobs();
        for (JobDef job : jobs.values()) {
            for (Ref need : job.needs()) {
                if (need.name().equals(job.name())) {
                    problems.add(need.location(), need.path(), "job '" + job.name() + "' needs itself");
                } else if (!jobs.containsKey(need.name())) {
                    problems.add(need.location(), need.path(), "unknown job '" + need.name() + "' in needs"
                            + Suggestions.hint(need.name(), jobs.keySet()));
                }
            }
            checkUses(job, problems);
        }
        findCycles(jobs, problems);
        findSharedTaskKeys(jobs, problems);
        DeployRules.check(pipeline, problems);
        BatchRules.check(pipeline, problems);
        ImageRules.check(pipeline, problems);
    }

    /** One task of the expanded pipeline, for {@link #findSharedTaskKeys}. */
    private record Task(JobDef job, Map<String, String> cell, String name) {
    }

    /**
     * Tasks whose names differ only where {@link TaskNames#key} cannot tell them apart (matrix values {@code "a b"},
     * {@code "a_b"} and {@code "a/b"}; job {@code build-1} and shard 1 of job {@code build}) would share one working
     * copy, log file and artifact directory, each overwriting the other's: refused, naming both.
     */
    private static void findSharedTaskKeys(Map<String, JobDef> jobs, Problems problems) {
        Map<String, Task> byKey = new java.util.HashMap<>();
        Set<String> reported = new java.util.HashSet<>();
        for (JobDef job : jobs.values()) {
            for (Map<String, String> cell : job.matrix().cells()) {
                for (int shard = 0; shard < job.parallelism(); shard++) {
                    Task task = new Task(job, cell, TaskNames.name(job, cell, shard));
                    String key = TaskNames.key(task.name());
                    Task first = byKey.putIfAbsent(key, task);
                    if (first != null && !first.name().equals(task.name())) {
                        reportShared(first, task, key, problems, reported);
                    }
                }
            }
        }
    }

    private static void reportShared(Task first, Task second, String key, Problems problems, Set<String> reported) {
        String shares = " would share one working copy, log file and artifact directory";
        if (first.job() == second.job()) {
            List<String> differing = first.cell().keySet().stream()
                    .filter(axis -> !first.cell().get(axis).equals(second.cell().get(axis))).toList();
            if (differing.size() == 1) {
                String axis = differing.get(0);
                String path = "jobs." + first.job().name() + ".matrix." + axis;
                String message = "matrix values '" + first.cell().get(axis) + "' and '" + second.cell().get(axis)
                        + "' of axis '" + axis + "'" + shares + " (both become '"
                        + TaskNames.key(second.cell().get(axis)) + "' in file names): make them differ in a letter "
                        + "or digit";
                if (reported.add(path + message)) {
                    problems.add(first.job().location(), path, message);
                }
                return;
            }
        }
        String path = "jobs." + second.job().name() + (first.job() == second.job() ? ".matrix" : "");
        String message = "tasks '" + first.name() + "' and '" + second.name() + "'" + shares + " (both are '" + key
                + "')"
                + (first.job() == second.job() ? ": make the matrix values differ in a letter or digit"
                : ": rename job '" + second.job().name() + "'");
        if (reported.add(path + message)) {
            problems.add(second.job().location(), path, message);
        }
    }

    private void checkUses(JobDef job, Problems problems) {
        job.uses().forEach((pool, count) -> {
            Integer offered = offeredPools.get(pool);
            String path = "jobs." + job.name() + ".uses." + pool;
            if (offered == null) {
                problems.add(job.location(), path, "no executor offers pool '" + pool + "'"
                        + Suggestions.hint(pool, offeredPools.keySet())
                        + "; offer it with --pool " + pool + "=N");
            } else if (count > offered) {
                problems.add(job.location(), path, "job '" + job.name() + "' uses " + pool + ": " + count
                        + " but the executor offers only " + offered
                        + (pool.equals("gpu") ? " (GPUs listed by nvidia-smi -L, or --pool gpu=N)" : ""));
            }
        });
    }

    private static void findCycles(Map<String, JobDef> jobs, Problems problems) {
        Map<String, List<String>> edges = new java.util.LinkedHashMap<>();
        jobs.forEach((name, job) -> edges.put(name, job.needNames()));
        for (List<String> cycle : Cycles.find(edges)) {
            JobDef first = jobs.get(cycle.get(0));
            problems.add(first.location(), "jobs." + first.name() + ".needs",
                    "cycle in needs: " + String.join(" -> ", cycle) + "; remove one of these needs");
        }
    }
}
