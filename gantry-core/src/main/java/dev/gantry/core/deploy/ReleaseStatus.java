package dev.gantry.core.deploy;

import java.util.Locale;

/** Where a release stands; the JSON and CLI name is the lower-case constant ({@code rolled_back}). */
public enum ReleaseStatus {
    /** Being started and gated: a candidate. */
    DEPLOYING,
    /** Serving on the environment's stable port. */
    LIVE,
    /** Was live; a newer release replaced it. */
    SUPERSEDED,
    /** Its start, readiness or gate failed (a candidate), or it crashed past its restart budget while live. */
    FAILED,
    /** Was live; a rollback put an older release back in its place. */
    ROLLED_BACK,
    /** Was live; stopped by hand ({@code gantry deploy stop}). */
    STOPPED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
