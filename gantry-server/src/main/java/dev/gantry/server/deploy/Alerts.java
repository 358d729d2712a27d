package dev.gantry.server.deploy;

import dev.gantry.core.deploy.Release;
import dev.gantry.core.pipeline.NotifyDef;
import dev.gantry.core.pipeline.NotifyEvent;
import java.util.List;

/** Where supervision's events go: the pipeline's notification channels. Sending never blocks nor fails the caller. */
public interface Alerts {

    void send(NotifyEvent event, Release release, String detail, List<NotifyDef> channels);
}
