package dev.gantry.core.deploy;

import java.time.Instant;
import java.util.Map;

/**
 * Release {@code number} of one pipeline's environment: what it was made from, and where it stands.
 *
 * @param pipeline      the pipeline's name (environments are per pipeline)
 * @param build         the number of the build that made it
 * @param trigger       what started that build ({@code local}, {@code poll}, {@code webhook}, a person)
 * @param files         each copied file's path inside the release directory and its {@code sha256:} digest
 * @param volumes       each recorded volume's name and the {@code sha256:} digest of its content
 * @param port          the port its process listens on (the stable port, or its own under {@code blue_green})
 * @param liveAt        when it started serving; null if it never did
 * @param endedAt       when it stopped serving, or failed; null while deploying or live
 * @param reason        why it ended as it did (a failed gate's message), or null
 */
public record Release(String pipeline, String environment, int number, long build, String commit, String branch,
                      String tag, String trigger, Map<String, String> files, Map<String, String> volumes, int port,
                      ReleaseStatus status, Instant createdAt, Instant liveAt, Instant endedAt, String reason) {

    public Release {
        files = Map.copyOf(files);
        volumes = Map.copyOf(volumes);
    }

    public Release withStatus(ReleaseStatus status, Instant at, String reason) {
        Instant live = status == ReleaseStatus.LIVE ? (liveAt == null ? at : liveAt) : liveAt;
        Instant ended = status == ReleaseStatus.LIVE || status == ReleaseStatus.DEPLOYING ? null : at;
        return new Release(pipeline, environment, number, build, commit, branch, tag, trigger, files, volumes, port,
                status, createdAt, live, ended, reason);
    }

    public Release withPort(int port) {
        return new Release(pipeline, environment, number, build, commit, branch, tag, trigger, files, volumes, port,
                status, createdAt, liveAt, endedAt, reason);
    }
}
