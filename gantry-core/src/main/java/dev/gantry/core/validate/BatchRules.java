package dev.gantry.core.validate;

import dev.gantry.core.load.Suggestions;
import dev.gantry.core.pipeline.BatchStep;
import dev.gantry.core.pipeline.DeployStep;
import dev.gantry.core.pipeline.JobDef;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.pipeline.Problems;
import dev.gantry.core.pipeline.ServiceDef;
import dev.gantry.core.pipeline.StepDef;
import dev.gantry.core.pipeline.VolumeDef;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Rules for {@code batch} steps that need their job: {@code service} names one of the job's services, and only
 * where those run (the job's steps: not its hooks, which run after the services stopped, nor a deploy's gate,
 * which checks the candidate release); {@code output} is not on a volume the job mounts {@code read_only}.
 */
final class BatchRules {

    private BatchRules() {
    }

    static void check(Pipeline pipeline, Problems problems) {
        for (JobDef job : pipeline.jobs().values()) {
            checkNames(job, problems);
            for (StepDef step : job.steps()) {
                if (step instanceof BatchStep b) {
                    checkService(job, b, problems);
                    checkOutput(job, b, problems);
                } else if (step instanceof DeployStep d) {
                    d.deploy().gate().forEach(s -> outsideServices(s, "a deploy's gate, which checks the candidate "
                            + "release", problems));
                }
            }
            job.onSuccess().forEach(s -> outsideServices(s, "on_success, which runs after the job's services "
                    + "stopped", problems));
            job.onFailure().forEach(s -> outsideServices(s, "on_failure, which runs after the job's services "
                    + "stopped", problems));
            job.ensure().forEach(s -> outsideServices(s, "ensure, which runs after the job's services stopped",
                    problems));
        }
    }

    /** A job's batches are recorded (the build page, the store, the metrics) by their names: one name, one batch. */
    private static void checkNames(JobDef job, Problems problems) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        java.util.stream.Stream.of(job.steps(), job.onSuccess(), job.onFailure(), job.ensure())
                .flatMap(List::stream).filter(BatchStep.class::isInstance).map(BatchStep.class::cast)
                .forEach(b -> {
                    if (!seen.add(b.name())) {
                        problems.add(b.location(), b.path() + ".batch.name", "another batch of job '" + job.name()
                                + "' is named '" + b.name() + "': give each its own name (a batch's figures are "
                                + "recorded by its name)");
                    }
                });
    }

    private static void checkService(JobDef job, BatchStep step, Problems problems) {
        if (step.service() == null) {
            return;
        }
        List<String> names = job.services().stream().map(ServiceDef::name).toList();
        if (!names.contains(step.service())) {
            problems.add(step.serviceLocation(), step.path() + ".batch.service", "unknown service '"
                    + step.service() + "'" + Suggestions.hint(step.service(), names) + (names.isEmpty()
                    ? ": job '" + job.name() + "' has no services; declare it under the job's 'services', or use url"
                    : "; the job's services: " + String.join(", ", names)));
        }
    }

    private static void outsideServices(StepDef step, String where, Problems problems) {
        if (step instanceof BatchStep b && b.service() != null) {
            problems.add(b.serviceLocation(), b.path() + ".batch.service", "a batch in " + where
                    + ", cannot use the job's service '" + b.service() + "': give it a url instead");
        }
    }

    private static void checkOutput(JobDef job, BatchStep step, Problems problems) {
        String output = normalized(step.spec().output());
        for (VolumeDef v : job.volumes()) {
            String mount = normalized(v.path());
            if (v.readOnly() && (output.equals(mount) || output.startsWith(mount + "/"))) {
                problems.add(step.location(), step.path() + ".batch.output", "output '" + step.spec().output()
                        + "' is on volume '" + v.name() + "', which the job mounts read_only: a batch writes its "
                        + "answers there; mount it read-write, or write elsewhere");
            }
        }
    }

    private static String normalized(String path) {
        return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty() && !s.equals("."))
                .collect(Collectors.joining("/"));
    }
}
