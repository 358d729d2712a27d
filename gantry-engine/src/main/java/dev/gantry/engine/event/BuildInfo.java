package dev.gantry.engine.event;

import dev.gantry.core.plan.Revision;
import java.nio.file.Path;

/**
 * What identifies a build.
 *
 * @param id      unique across builds on every machine; part of every task's process marker
 * @param trigger what started it: {@code local} for {@code gantry run}
 * @param dir     where its record and logs live
 */
public record BuildInfo(long number, String id, String pipelineName, String pipelineFile, String pipelineDigest,
                        Revision revision, String trigger, Path dir) {
}
