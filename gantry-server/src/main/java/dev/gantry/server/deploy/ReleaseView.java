package dev.gantry.server.deploy;

import dev.gantry.core.deploy.Release;
import java.time.Instant;
import java.util.Map;

/** A release as the API writes it: the status by its wire name ({@code rolled_back}), everything else as stored. */
public record ReleaseView(String pipeline, String environment, int number, long build, String commit, String branch,
                          String tag, String trigger, String status, int port, Instant createdAt, Instant liveAt,
                          Instant endedAt, String reason, Map<String, String> files, Map<String, String> volumes) {

    public static ReleaseView of(Release r) {
        return new ReleaseView(r.pipeline(), r.environment(), r.number(), r.build(), r.commit(), r.branch(), r.tag(),
                r.trigger(), r.status().wireName(), r.port(), r.createdAt(), r.liveAt(), r.endedAt(), r.reason(),
                new java.util.TreeMap<>(r.files()), new java.util.TreeMap<>(r.volumes()));
    }

    /** {@code tag v1.2} or the branch, for people. */
    public String ref() {
        return tag != null ? "tag " + tag : (branch != null ? branch : "");
    }
}
