package dev.gantry.cli;

/** What {@code gantry} exits with, so scripts and CI can tell outcomes apart. */
public final class ExitCodes {

    /** Everything required succeeded. */
    public static final int OK = 0;
    /** The pipeline ran and something failed. */
    public static final int FAILED = 1;
    /** The input was invalid: a bad pipeline, an unknown option, a missing file. */
    public static final int INVALID = 2;
    /** The Gantry server could not be reached (refused, timed out, unknown host): try again, or check --server. */
    public static final int UNREACHABLE = 3;
    /** Stopped by Ctrl-C or SIGTERM (128 + SIGINT). */
    public static final int CANCELLED = 130;

    private ExitCodes() {
    }
}
