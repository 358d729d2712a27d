package dev.gantry.engine.probe;

import java.time.Duration;

/** One kind of health check, run once per call. Implementations never throw: a failure is a result. */
public interface Probe {

    ProbeResult check(Duration timeout);
}
