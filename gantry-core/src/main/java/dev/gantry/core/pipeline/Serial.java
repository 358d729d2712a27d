package dev.gantry.core.pipeline;

import java.util.List;

/**
 * How builds of a job may overlap across builds of the pipeline (Concourse's semantics). Only a server running
 * several builds at once applies it; {@code gantry run} runs one build.
 *
 * @param groups      the jobs that share a group run one build at a time between them (or {@code maxInFlight});
 *                    {@code serial: true} puts a job in a group of its own name
 * @param maxInFlight most builds of the job (or of its groups) running at once; 0 when the job is unlimited
 */
public record Serial(List<String> groups, int maxInFlight) {

    public static final Serial NONE = new Serial(List.of(), 0);

    public Serial {
        groups = List.copyOf(groups);
    }

    /** The serial settings of job {@code job} as written: {@code serial}, {@code serial_groups}, {@code max_in_flight}. */
    public static Serial of(String job, boolean serial, List<String> serialGroups, Integer maxInFlight) {
        if (!serialGroups.isEmpty()) {
            return new Serial(serialGroups, maxInFlight != null ? maxInFlight : 1);
        }
        if (serial || maxInFlight != null) {
            return new Serial(List.of(job), serial && maxInFlight == null ? 1 : maxInFlight);
        }
        return NONE;
    }

    public boolean isNone() {
        return groups.isEmpty();
    }
}
