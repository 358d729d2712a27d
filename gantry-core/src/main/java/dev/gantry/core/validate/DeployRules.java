package dev.gantry.core.validate;

import dev.gantry.core.load.Suggestions;
import dev.gantry.core.pipeline.DeployDef;
import dev.gantry.core.pipeline.DeployStep;
import dev.gantry.core.pipeline.EnvironmentDef;
import dev.gantry.core.pipeline.JobDef;
import dev.gantry.core.pipeline.MatrixDef;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.pipeline.Problems;
import java.util.Map;

/**
 * Rules for a job's {@code deploy} that need more than the deploy itself: its environment is declared, it has a
 * service with a stable port, and its job makes one release per build (no shards, no matrix). Two deploy jobs may
 * target the same environment: their deploys queue.
 */
final class DeployRules {

    private DeployRules() {
    }

    static void check(Pipeline pipeline, Problems problems) {
        for (JobDef job : pipeline.jobs().values()) {
            job.steps().stream().filter(DeployStep.class::isInstance).map(s -> ((DeployStep) s).deploy())
                    .forEach(deploy -> check(job, deploy, pipeline.environments(), problems));
        }
    }

    private static void check(JobDef job, DeployDef deploy, Map<String, EnvironmentDef> environments,
                              Problems problems) {
        checkEnvironment(deploy, environments, problems);
        if (deploy.service() == null) {
            problems.add(deploy.location(), deploy.path(), "a deploy needs 'service': the release's long-running"
                    + " process, e.g. service: {command: java -jar {{ release_dir }}/app.jar --port {{ port }},"
                    + " port: 7860, ready: {http: /health/ready}}");
        } else if (deploy.port() == 0) {
            problems.add(deploy.service().location(), deploy.path() + ".service",
                    deploy.strategy() == DeployDef.Strategy.BLUE_GREEN
                            ? "blue_green needs service.port: the stable port the proxy listens on"
                            : "a deploy needs service.port: the environment's stable port, where the live release"
                            + " answers");
        }
        String jobPath = "jobs." + job.name();
        if (job.parallelism() > 1) {
            problems.add(job.location(), jobPath + ".parallelism", "a deploy job makes one release per build:"
                    + " remove parallelism (it is " + job.parallelism() + ")");
        }
        if (!job.matrix().equals(MatrixDef.NONE)) {
            problems.add(job.location(), jobPath + ".matrix", "a deploy job makes one release per build: remove"
                    + " the matrix, or deploy from a job that needs the matrix job");
        }
    }

    private static void checkEnvironment(DeployDef deploy, Map<String, EnvironmentDef> environments,
                                         Problems problems) {
        boolean written = !deploy.environmentLocation().equals(deploy.location());
        String path = written ? deploy.path() + ".environment" : deploy.path();
        String name = deploy.environment();
        if (name.equals(DeployDef.AUTO)) {
            if (environments.isEmpty()) {
                problems.add(deploy.environmentLocation(), path, "environment: auto deploys to the environment whose"
                        + " 'when' matches the build's branch or tag, but the pipeline declares no 'environments':"
                        + " declare them (e.g. production: {when: {tags: [\"v*\"]}}) or name one");
            } else if (environments.values().stream().allMatch(e -> e.when().isAlways())) {
                problems.add(deploy.environmentLocation(), path, "environment: auto can never choose: no environment"
                        + " has a 'when'; add when: {branches: [...]} or when: {tags: [...]} to one, or name one");
            }
        } else if (!environments.containsKey(name)) {
            problems.add(deploy.environmentLocation(), path, "unknown environment '" + name + "'"
                    + Suggestions.hint(name, environments.keySet())
                    + (environments.isEmpty() ? ": the pipeline declares no environments; add it under 'environments'"
                    : "; declared: " + String.join(", ", environments.keySet())));
        }
    }
}
