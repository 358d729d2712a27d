package dev.gantry.core.secret;

import dev.gantry.core.pipeline.DeployStep;
import dev.gantry.core.pipeline.ImageRef;
import dev.gantry.core.pipeline.JobDef;
import dev.gantry.core.pipeline.NotifyDef;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.pipeline.Problems;
import dev.gantry.core.pipeline.RunStep;
import dev.gantry.core.pipeline.SecretRef;
import dev.gantry.core.pipeline.ServiceDef;
import dev.gantry.core.pipeline.StepDef;
import dev.gantry.core.pipeline.Value;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The secrets a pipeline references and the check that each has a value, so an unknown secret stops a build
 * before anything runs, with the place it is referenced.
 */
public final class SecretReferences {

    private SecretReferences() {
    }

    /**
     * Every reference: pipeline env and {@code defaults.image}'s registry credentials; then each job's env, its
     * own image's credentials, steps' env (a deploy's service env and image credentials, and gate steps' env
     * included), services' env and image credentials, and hook steps' env; then the notifications' URLs, HMAC keys
     * and SMTP credentials. A job that inherits {@code defaults.image} does not repeat its references.
     */
    public static List<SecretRef> of(Pipeline pipeline) {
        List<SecretRef> refs = new ArrayList<>();
        add(refs, pipeline.env());
        ImageRef defaultImage = pipeline.defaults().image();
        add(refs, defaultImage);
        for (JobDef job : pipeline.jobs().values()) {
            add(refs, job.env());
            if (job.image() != defaultImage) {
                add(refs, job.image());
            }
            addSteps(refs, job.steps());
            for (ServiceDef service : job.services()) {
                add(refs, service.env());
                add(refs, service.image());
            }
            addSteps(refs, job.onSuccess());
            addSteps(refs, job.onFailure());
            addSteps(refs, job.ensure());
        }
        for (NotifyDef n : pipeline.notifications()) {
            add(refs, n.url());
            add(refs, n.secret());
            if (n.smtp() != null) {
                add(refs, n.smtp().user());
                add(refs, n.smtp().password());
            }
        }
        return refs;
    }

    /** Every secret the steps reference (a deploy's gate, when a rollback runs it outside a build), in order. */
    public static List<SecretRef> of(List<StepDef> steps) {
        List<SecretRef> refs = new ArrayList<>();
        addSteps(refs, steps);
        return refs;
    }

    private static void addSteps(List<SecretRef> refs, List<StepDef> steps) {
        for (StepDef step : steps) {
            if (step instanceof RunStep run) {
                add(refs, run.env());
            } else if (step instanceof DeployStep deploy) {
                if (deploy.deploy().service() != null) {
                    add(refs, deploy.deploy().service().env());
                    add(refs, deploy.deploy().service().image());
                }
                addSteps(refs, deploy.deploy().gate());
            }
        }
    }

    private static void add(List<SecretRef> refs, ImageRef image) {
        if (image != null && image.auth() != null) {
            add(refs, image.auth().username());
            add(refs, image.auth().password());
        }
    }

    private static void add(List<SecretRef> refs, Value value) {
        if (value instanceof SecretRef r) {
            refs.add(r);
        }
    }

    /** The distinct names referenced. */
    public static Set<String> names(Pipeline pipeline) {
        Set<String> names = new LinkedHashSet<>();
        of(pipeline).forEach(r -> names.add(r.name()));
        return names;
    }

    /**
     * Throws a {@link dev.gantry.core.pipeline.PipelineException} naming each reference to a secret not in
     * {@code known}, and where it is; {@code howToSet} ends each message with what to do.
     */
    public static void requireKnown(Pipeline pipeline, Collection<String> known, String howToSet) {
        Problems problems = new Problems();
        for (SecretRef ref : of(pipeline)) {
            if (!known.contains(ref.name())) {
                problems.add(ref.location(), ref.path(), "unknown secret '" + ref.name() + "': " + howToSet);
            }
        }
        problems.throwIfAny();
    }

    private static void add(List<SecretRef> refs, Map<String, Value> env) {
        env.values().forEach(v -> add(refs, v));
    }
}
