package dev.gantry.server.deploy;

import dev.gantry.core.deploy.Release;
import dev.gantry.core.pipeline.NotifyDef;
import dev.gantry.core.pipeline.NotifyEvent;
import dev.gantry.engine.notify.Notification;
import dev.gantry.engine.notify.Notifier;
import dev.gantry.store.SecretCipher;
import dev.gantry.store.SecretVault;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * Supervision's alerts through the server's {@link Notifier}: queued at once and delivered in the background with
 * retries, every attempt recorded; channel secrets are opened from the vault, as the pipeline sees them, only when
 * an attempt is made.
 */
public final class NotifierAlerts implements Alerts {

    private final Notifier notifier;
    private final SecretVault secrets;
    private final Clock clock;

    public NotifierAlerts(Notifier notifier, SecretVault secrets, Clock clock) {
        this.notifier = notifier;
        this.secrets = secrets;
        this.clock = clock;
    }

    @Override
    public void send(NotifyEvent event, Release release, String detail, List<NotifyDef> channels) {
        notifier.send(channels, Notification.monitor(event, release.pipeline(), release.environment(),
                release.number(), detail, clock.instant()), ref -> {
                    try {
                        return secrets.values(release.pipeline(), Set.of(ref.name())).get(ref.name());
                    } catch (SecretCipher.SecretException e) {
                        return null;
                    }
                });
    }
}
