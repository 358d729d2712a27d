package dev.gantry.engine.notify;

import dev.gantry.core.pipeline.NotifyEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a notification says, whichever channel carries it: built once per event, then rendered by each channel
 * (a Slack line, a webhook's JSON body, an email).
 *
 * @param build       the build it is about, or null (monitor events have none)
 * @param environment the environment of a deploy or monitor event, or null
 * @param release     the release number of a deploy or monitor event, or null
 * @param status      a one-word state: the build's ({@code failed}, {@code succeeded}) or the deploy's outcome
 *                    ({@code succeeded}, {@code failed}, {@code rolled_back}) or the monitor's ({@code failing},
 *                    {@code healthy})
 * @param message     one sentence for people: why, and what serves now
 * @param links       named URLs, e.g. {@code build} → the server's build page; empty when none is known
 * @param at          when it happened
 */
public record Notification(NotifyEvent event, String pipeline, Long build, String environment, Integer release,
                           String status, String message, Map<String, String> links, Instant at) {

    public Notification {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(at, "at");
        links = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(links));
    }

    /**
     * A monitor event ({@link NotifyEvent#MONITOR_FAILED} or {@link NotifyEvent#MONITOR_RECOVERED}) about the live
     * release of an environment, for the server's supervisor to pass to {@link Notifier#send}.
     */
    public static Notification monitor(NotifyEvent event, String pipeline, String environment, int release,
                                       String message, Instant at) {
        if (event != NotifyEvent.MONITOR_FAILED && event != NotifyEvent.MONITOR_RECOVERED) {
            throw new IllegalArgumentException("not a monitor event: " + event.yamlName());
        }
        return new Notification(event, pipeline, null, environment, release,
                event == NotifyEvent.MONITOR_FAILED ? "failing" : "healthy", message, Map.of(), at);
    }

    /**
     * One line a person reads first, e.g. {@code [tts] build #12 failed (main): job e2e failed} or
     * {@code [tts] production release 4: deploy rolled back — gate failed; release 3 serves}.
     */
    public String summary() {
        StringBuilder s = new StringBuilder("[").append(pipeline).append("] ");
        if (environment != null) {
            s.append(environment);
            if (release != null) {
                s.append(" release ").append(release);
            }
            s.append(": ");
        } else if (build != null) {
            s.append("build #").append(build).append(": ");
        }
        s.append(event.yamlName().replace('_', ' '));
        if (environment != null && build != null) {
            s.append(" (build #").append(build).append(')');
        }
        if (message != null && !message.isBlank()) {
            s.append(" — ").append(message);
        }
        return s.toString();
    }
}
