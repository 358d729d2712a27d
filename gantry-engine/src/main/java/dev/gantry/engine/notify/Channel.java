package dev.gantry.engine.notify;

/**
 * Where a notification goes: one implementation per kind of {@code notify} entry (Slack, webhook, email). A channel
 * makes one attempt per call; retries, timeouts between attempts and recording belong to {@link Notifier}, so every
 * channel gets them the same way. Every implementation passes {@code ChannelContract}.
 */
public interface Channel {

    /** {@code slack}, {@code webhook} or {@code email}, as in YAML. */
    String kind();

    /** Where it sends, safe to show: a URL's host, an email's recipients and server; never a secret. */
    String target();

    /**
     * Sends {@code notification} once, blocking until the receiver answered or the attempt's timeout passed.
     *
     * @param deliveryId the same for every attempt at this notification on this channel, so a receiver can
     *                   recognise a retry
     * @return what the receiver answered, for the delivery log (e.g. {@code HTTP 200})
     * @throws DeliveryException when it was not delivered
     */
    String send(Notification notification, String deliveryId) throws DeliveryException;
}
