package dev.gantry.core.validate;

import dev.gantry.core.graph.Cycles;
import dev.gantry.core.load.Suggestions;
import dev.gantry.core.pipeline.JobDef;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.pipeline.Problems;
import dev.gantry.core.pipeline.Ref;
import java.util.List;
import java.util.Map;

/**
 * Whole-pipeline rules that no single key can check: {@code needs} naming real jobs, no cycles, and pools
 * that the executor actually offers in the amounts asked.
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
