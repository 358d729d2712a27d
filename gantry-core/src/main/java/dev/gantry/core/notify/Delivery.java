package dev.gantry.core.notify;

import java.time.Instant;

/**
 * One attempt to deliver a notification to a channel, as the API and UI show it.
 *
 * @param id       the notification's id: all attempts at one notification share it
 * @param channel  {@code slack}, {@code webhook} or {@code email}
 * @param target   where it went, with secrets left out (the URL's host, the recipients)
 * @param event    e.g. {@code monitor_failed}
 * @param build    the build it is about, or null (monitor events)
 * @param status   {@code delivered}, {@code failed} (will be retried) or {@code gave_up}
 * @param detail   the answer's status line or the error, secrets masked
 */
public record Delivery(String id, String pipeline, String channel, String target, String event, Long build,
                       String environment, Integer release, int attempt, String status, String detail,
                       Instant at) {
}
