package dev.gantry.engine.notify;

import java.net.URI;
import java.util.Map;

/** Posts to a Slack incoming webhook: {@code {"text": ...}} with the notification's summary line and its links. */
public final class SlackChannel implements Channel {

    private final URI url;
    private final HttpPost http;

    SlackChannel(URI url, HttpPost http) {
        this.url = url;
        this.http = http;
    }

    @Override
    public String kind() {
        return "slack";
    }

    @Override
    public String target() {
        return Mask.hostOf(url);
    }

    @Override
    public String send(Notification notification, String deliveryId) throws DeliveryException {
        return http.post(url, Payloads.slack(notification), Map.of());
    }
}
