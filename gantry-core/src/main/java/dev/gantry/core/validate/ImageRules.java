package dev.gantry.core.validate;

import dev.gantry.core.pipeline.JobDef;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.pipeline.Problems;
import dev.gantry.core.pipeline.ServiceDef;

/**
 * Rules for {@code image:} that need the job around it: a service with an image of its own runs as a container
 * on its task's network, so its job must run in a container too (its own image or {@code defaults.image}, and
 * not {@code image: none}). A deploy's service is not a job's: its image stands alone.
 */
final class ImageRules {

    private ImageRules() {
    }

    static void check(Pipeline pipeline, Problems problems) {
        for (JobDef job : pipeline.jobs().values()) {
            if (job.image() != null) {
                continue;
            }
            for (ServiceDef service : job.services()) {
                if (service.image() != null) {
                    problems.add(service.image().location(), "jobs." + job.name() + ".services." + service.name()
                            + ".image", "a service's image needs its job to run in a container: give job '"
                            + job.name() + "' an image (or defaults.image)");
                }
            }
        }
    }
}
