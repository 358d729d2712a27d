package dev.gantry.core.pipeline;

import java.util.List;
import java.util.Set;

/**
 * One entry of the pipeline's {@code notify}: a channel and the events it is told about.
 *
 * @param url    for {@code slack} and {@code webhook}: where to post (often {@code {secret: ...}})
 * @param secret for {@code webhook}: the key of the {@code X-Gantry-Signature-256} HMAC; null for none
 * @param smtp   for {@code email}: the mail server
 * @param from   for {@code email}: the sender; null for {@code gantry@<host>}
 * @param to     for {@code email}: recipients
 * @param on     the events sent; {@code all} in YAML is every event
 */
public record NotifyDef(Channel channel, Location location, String path, Value url, Value secret, Smtp smtp,
                        String from, List<String> to, Set<NotifyEvent> on) {

    public NotifyDef {
        to = List.copyOf(to);
        on = Set.copyOf(on);
    }

    /** The kinds of channel, named as in YAML. */
    public enum Channel {
        SLACK, WEBHOOK, EMAIL;

        public String yamlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A mail server.
     *
     * @param starttls true (the default) to require STARTTLS before authenticating
     */
    public record Smtp(String host, int port, Value user, Value password, boolean starttls) {
    }
}
