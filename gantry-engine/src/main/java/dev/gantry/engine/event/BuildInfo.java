package dev.gantry.engine.event;

import dev.gantry.core.plan.Revision;
import java.nio.file.Path;

/**
 * What identifies a build.
 *
 * @param id      unique across builds on every machine; part of every task's process marker
 * @param trigger what started it: {@code local} for {@code gantry run}
 * @param dir     where its record and logs live
 * @param timings where each job's test timings history is kept, across builds
 */
public record BuildInfo(long number, String id, String pipelineName, String pipelineFile, String pipelineDigest,
                        Revision revision, String trigger, Path dir, Path timings) {

    /** The timings history of one job of this pipeline, which its {@code test_results} steps feed. */
    public Path timingsFile(String job) {
        return timings.resolve(pipelineKey()).resolve(job + ".json");
    }

    /** The pipeline's name as a single safe path segment: names are free text. */
    public String pipelineKey() {
        return pipelineKey(pipelineName);
    }

    /** The pipeline named {@code pipelineName} as a single safe path segment (environments are kept under it). */
    public static String pipelineKey(String pipelineName) {
        String key = dev.gantry.engine.run.TaskKeys.key(pipelineName).replace("..", "_");
        return key.isEmpty() ? "_" : key;
    }

    /**
     * The job's timings as they were when the build started, which its splits read: shards that finish early
     * add to the history, and shards that start later must still compute the same plan.
     */
    public Path timingsSnapshot(String job) {
        return timingsSnapshot(dir, pipelineName, job);
    }

    /** Where a build kept in {@code buildDir} has the job's timings snapshot (for reading it back later). */
    public static Path timingsSnapshot(Path buildDir, String pipelineName, String job) {
        return buildDir.resolve("timings").resolve(pipelineKey(pipelineName)).resolve(job + ".json");
    }
}
