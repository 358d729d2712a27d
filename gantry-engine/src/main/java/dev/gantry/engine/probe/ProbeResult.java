package dev.gantry.engine.probe;

/** One probe attempt: whether it passed and what was seen, for people ({@code HTTP 503: {"status":"loading"}}). */
public record ProbeResult(boolean success, String detail) {

    public static ProbeResult ok(String detail) {
        return new ProbeResult(true, detail);
    }

    public static ProbeResult fail(String detail) {
        return new ProbeResult(false, detail);
    }
}
