package dev.gantry.engine.probe;

import dev.gantry.core.pipeline.ProbeDef;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * Probes a ready service every {@code period} on a thread of its own; after {@code failure_threshold}
 * consecutive failures it reports once, saying when and which probe, and stops. Every probe's result is also
 * passed on as it comes, for whoever keeps the service's health (one failure already makes it unhealthy).
 */
public final class Liveness implements AutoCloseable {

    private final Thread thread;
    private volatile boolean closed;

    private Liveness(Probe probe, ProbeDef def, String name, Clock clock, Consumer<ProbeResult> eachResult,
                     Consumer<String> onUnhealthy) {
        this.thread = new Thread(() -> loop(probe, def, name, clock, eachResult, onUnhealthy), "liveness-" + name);
        thread.setDaemon(true);
    }

    /**
     * Starts watching; {@code eachResult} gets every probe's result (until closed), {@code onUnhealthy} the report
     * when the threshold is reached.
     */
    public static Liveness watch(Probe probe, ProbeDef def, String name, Clock clock, Consumer<ProbeResult> eachResult,
                                 Consumer<String> onUnhealthy) {
        Liveness l = new Liveness(probe, def, name, clock, eachResult, onUnhealthy);
        l.thread.start();
        return l;
    }

    private void loop(Probe probe, ProbeDef def, String name, Clock clock, Consumer<ProbeResult> eachResult,
                      Consumer<String> onUnhealthy) {
        int failures = 0;
        try {
            Thread.sleep(def.initialDelay().toMillis());
            while (!closed) {
                ProbeResult r = probe.check(def.timeout());
                if (closed) {
                    return;
                }
                eachResult.accept(r);
                failures = r.success() ? 0 : failures + 1;
                if (failures >= def.failureThreshold() && !closed) {
                    onUnhealthy.accept("service " + name + " became unhealthy at " + clock.instant() + ": "
                            + failures + " consecutive failures of its live probe " + def.describe() + "; last: "
                            + r.detail());
                    return;
                }
                Thread.sleep(def.period().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
