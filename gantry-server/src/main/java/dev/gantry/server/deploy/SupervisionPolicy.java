package dev.gantry.server.deploy;

import dev.gantry.core.pipeline.Restart;
import dev.gantry.core.pipeline.DeployDef;
import dev.gantry.core.pipeline.NotifyDef;
import dev.gantry.engine.probe.ProbeTarget;
import java.time.Duration;
import java.util.List;

/**
 * The rules a live release was deployed with, as supervision applies them.
 *
 * @param restart       crash restarts allowed
 * @param monitor       null for none
 * @param startup       how long after a (re)start monitor failures do not count (the readiness budget)
 * @param target        where the monitor probes: the release's own port, its directory and environment
 * @param notifications the pipeline's channels, for {@code monitor_failed} and {@code monitor_recovered}
 */
public record SupervisionPolicy(Restart restart, DeployDef.Monitor monitor, Duration startup,
                                ProbeTarget target, List<NotifyDef> notifications) {

    public SupervisionPolicy {
        notifications = List.copyOf(notifications);
    }
}
