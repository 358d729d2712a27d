package dev.gantry.core.pipeline;

import java.time.Duration;
import java.util.List;

/**
 * A job's {@code deploy}: makes a release of the build's files, starts its service (swapping out the live release
 * by {@code strategy}), gates the candidate with ordinary steps run against it, rolls back when it fails, and says
 * how the live release is watched afterwards.
 *
 * @param environment an environment's name, or {@link #AUTO} for the one whose {@code when} matches the build's ref
 * @param service     the release's long-running process; {@code {{ port }}} and {@code {{ release_dir }}} in its
 *                    command are filled in
 * @param port        the environment's stable port: where the live release answers
 * @param gate        steps run against the candidate ({@code $GANTRY_RELEASE_URL}) before it goes live
 * @param monitor     null for no monitoring
 */
public record DeployDef(Location location, String path, String environment, Location environmentLocation,
                        Release release, ServiceDef service, int port, Restart restart, Strategy strategy,
                        List<StepDef> gate, Duration gateTimeout, Rollback rollback, Monitor monitor) {

    public static final String AUTO = "auto";
    public static final Duration GATE_TIMEOUT = Duration.ofMinutes(10);

    public DeployDef {
        gate = List.copyOf(gate);
    }

    /**
     * What a release is made of.
     *
     * @param files   paths (files or directories, relative to the working copy) copied into the release's directory
     * @param volumes names of the job's volumes whose digests are recorded with the release (the weights)
     */
    public record Release(List<String> files, List<String> volumes) {

        public static final Release NONE = new Release(List.of(), List.of());

        public Release {
            files = List.copyOf(files);
            volumes = List.copyOf(volumes);
        }
    }


    /** How the old release makes way for the new one, named as in YAML ({@code replace}, {@code blue_green}). */
    public enum Strategy {
        /** Stop the old one, wait until its port and GPU memory are free, start the new one (one GPU). */
        REPLACE,
        /** Start the new one on a port of its own, gate it, switch the stable port's proxy to it, drain the old. */
        BLUE_GREEN;

        public String yamlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What a failed start, readiness or gate does: {@code auto} runs the previous good release again. */
    public enum Rollback {
        AUTO, NONE;

        public String yamlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The probe run while a release is live.
     *
     * @param probe     period and failure threshold included ({@code failure_threshold} consecutive failures)
     * @param onFailure what happens then, besides the alert that is always sent
     */
    public record Monitor(ProbeDef probe, MonitorAction onFailure) {
    }

    /** {@code alert}, {@code restart} or {@code rollback}. */
    public enum MonitorAction {
        ALERT, RESTART, ROLLBACK;

        public String yamlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
