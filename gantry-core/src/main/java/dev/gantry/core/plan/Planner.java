package dev.gantry.core.plan;

import dev.gantry.core.load.Suggestions;
import dev.gantry.core.pipeline.AttachStep;
import dev.gantry.core.pipeline.JobDef;
import dev.gantry.core.pipeline.Location;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.pipeline.PipelineException;
import dev.gantry.core.pipeline.Problem;
import dev.gantry.core.pipeline.StepDef;
import dev.gantry.core.pipeline.Value;
import dev.gantry.core.pipeline.WhenDef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Expands a validated pipeline into tasks (matrix cells times shards), each with a plan tree in which the job
 * timeout, retry and hooks wrap the steps. Pure: the same pipeline and revision always give the same plan.
 */
public final class Planner {

    /**
     * @param selectedJobs jobs to run with everything they need; empty for the whole pipeline
     * @throws PipelineException when a selected job does not exist
     */
    public Plan plan(Pipeline pipeline, Revision revision, Collection<String> selectedJobs) {
        Set<String> included = include(pipeline, selectedJobs);
        List<TaskPlan> tasks = new ArrayList<>();
        Map<String, List<String>> taskNamesByJob = new LinkedHashMap<>();
        for (String jobName : topologicalOrder(pipeline, included)) {
            JobDef job = pipeline.jobs().get(jobName);
            List<String> deps = job.needNames().stream()
                    .flatMap(n -> taskNamesByJob.getOrDefault(n, List.of()).stream()).toList();
            String skip = whenSkipReason(job.when(), revision);
            List<String> names = new ArrayList<>();
            for (Map<String, String> cell : job.matrix().cells()) {
                for (int shard = 0; shard < job.parallelism(); shard++) {
                    String name = TaskNames.name(job, cell, shard);
                    names.add(name);
                    tasks.add(new TaskPlan(name, job, shard, job.parallelism(), cell, deps,
                            env(pipeline, job, cell, shard), tree(pipeline, job), skip));
                }
            }
            taskNamesByJob.put(jobName, names);
        }
        return new Plan(pipeline, revision, tasks);
    }

    private static Set<String> include(Pipeline pipeline, Collection<String> selected) {
        if (selected.isEmpty()) {
            return pipeline.jobs().keySet();
        }
        Set<String> result = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        for (String name : selected) {
            if (!pipeline.jobs().containsKey(name)) {
                throw new PipelineException(new Problem(Location.unknown(pipeline.file()), "",
                        "no job named '" + name + "'" + Suggestions.hint(name, pipeline.jobs().keySet())
                                + "; jobs: " + String.join(", ", pipeline.jobs().keySet())));
            }
            todo.add(name);
        }
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (result.add(name)) {
                todo.addAll(pipeline.jobs().get(name).needNames());
            }
        }
        return result;
    }

    /** Kahn's algorithm, taking ready jobs in file order so the plan is stable. Assumes no cycles (validated). */
    private static List<String> topologicalOrder(Pipeline pipeline, Set<String> included) {
        List<String> order = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        boolean progress = true;
        while (progress && placed.size() < included.size()) {
            progress = false;
            for (JobDef job : pipeline.jobs().values()) {
                if (included.contains(job.name()) && !placed.contains(job.name())
                        && placed.containsAll(job.needNames())) {
                    placed.add(job.name());
                    order.add(job.name());
                    progress = true;
                }
            }
        }
        return order;
    }

    private static Map<String, Value> env(Pipeline pipeline, JobDef job, Map<String, String> cell, int shard) {
        Map<String, Value> env = new LinkedHashMap<>(pipeline.env());
        env.putAll(job.env());
        env.put("GANTRY_JOB", Value.of(job.name()));
        env.put("GANTRY_NODE_INDEX", Value.of(String.valueOf(shard)));
        env.put("GANTRY_NODE_TOTAL", Value.of(String.valueOf(job.parallelism())));
        env.put("CIRCLE_NODE_INDEX", Value.of(String.valueOf(shard)));
        env.put("CIRCLE_NODE_TOTAL", Value.of(String.valueOf(job.parallelism())));
        cell.forEach((axis, value) -> env.put("GANTRY_MATRIX_" + axis.toUpperCase(Locale.ROOT), Value.of(value)));
        return env;
    }

    private static PlanNode tree(Pipeline pipeline, JobDef job) {
        var timeout = job.timeout() != null ? job.timeout() : pipeline.defaults().timeout();
        PlanNode steps = sequence(job.steps());
        if (!job.services().isEmpty()) {
            // leading attach steps run before the services start, so a service can run what an upstream job built
            int attaches = 0;
            while (attaches < job.steps().size() && job.steps().get(attaches) instanceof AttachStep) {
                attaches++;
            }
            List<StepDef> before = job.steps().subList(0, attaches);
            PlanNode services = new ServicesNode(job.services(), sequence(job.steps().subList(attaches,
                    job.steps().size())));
            steps = before.isEmpty() ? services
                    : new SequenceNode(List.of(sequence(before), services));
        }
        if (!job.volumes().isEmpty()) {
            steps = new VolumesNode(job.volumes(), steps);
        }
        PlanNode main = new TimeoutNode(timeout, "job " + job.name(), steps);
        if (!job.limits().isNone()) {
            main = new LimitsNode(job.limits(), main);
        }
        if (job.retry().attempts() > 1) {
            List<StepDef> reports = new java.util.ArrayList<>();
            java.util.stream.Stream.concat(job.onFailure().stream(), job.ensure().stream())
                    .filter(s -> s instanceof dev.gantry.core.pipeline.TestResultsStep).forEach(reports::add);
            main = new RetryNode(job.retry(), main, sequence(reports));
        }
        return new HooksNode(main, sequence(job.onSuccess()), sequence(job.onFailure()), sequence(job.ensure()));
    }

    private static SequenceNode sequence(List<StepDef> steps) {
        return new SequenceNode(steps.stream().map(Planner::stepNode).toList());
    }

    private static PlanNode stepNode(StepDef step) {
        PlanNode node = new StepNode(step);
        if (step.noOutputTimeout() != null) {
            node = new NoOutputTimeoutNode(step.noOutputTimeout(), node);
        }
        if (step.timeout() != null) {
            node = new TimeoutNode(step.timeout(), "step '" + step.name() + "'", node);
        }
        return node;
    }

    static String whenSkipReason(WhenDef when, Revision revision) {
        if (when.isAlways()) {
            return null;
        }
        if (when.matches(revision.branch(), revision.tag())) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        if (when.branches() != null) {
            parts.add(revision.branch() == null ? "no branch is known (use --branch)"
                    : "branch '" + revision.branch() + "' matches none of " + when.branches());
        }
        if (when.tags() != null) {
            parts.add(revision.tag() == null ? "no tag points at this commit"
                    : "tag '" + revision.tag() + "' matches none of " + when.tags());
        }
        return "when: " + String.join(" and ", parts);
    }
}
