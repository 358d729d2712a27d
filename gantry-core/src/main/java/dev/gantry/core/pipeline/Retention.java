package dev.gantry.core.pipeline;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a server keeps a pipeline's builds' logs, artifacts and telemetry: the newest {@code builds} builds
 * and/or those younger than {@code days} days. A build is expired only when every limit given says so (the newest
 * N are kept even when older than D days, and builds of the last D days even past the newest N). The builds' records
 * (status, durations, tests) stay for history. Pinned builds and the builds behind live releases are never expired.
 *
 * @param builds null when not limited by count
 * @param days   null when not limited by age
 */
public record Retention(Integer builds, Integer days) {

    /** Nothing is ever removed. */
    public static final Retention FOREVER = new Retention(null, null);

    public boolean keepsForever() {
        return builds == null && days == null;
    }

    /** This pipeline's own limits, each falling back to the server's where the pipeline gives none. */
    public Retention orElse(Retention server) {
        return new Retention(builds != null ? builds : server.builds, days != null ? days : server.days);
    }

    /**
     * Whether a build's data is expired.
     *
     * @param newer how many of the pipeline's builds are newer than this one
     */
    public boolean expires(long newer, Instant started, Instant now) {
        if (keepsForever()) {
            return false;
        }
        boolean pastCount = builds == null || newer >= builds;
        boolean pastAge = days == null || started.isBefore(now.minus(Duration.ofDays(days)));
        return pastCount && pastAge;
    }

    @Override
    public String toString() {
        if (keepsForever()) {
            return "forever";
        }
        return (builds != null ? "the newest " + builds + " builds" : "")
                + (builds != null && days != null ? " and " : "")
                + (days != null ? "builds of the last " + days + " days" : "");
    }
}
