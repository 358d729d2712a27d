package dev.gantry.engine.notify;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Posts the notification as JSON to any URL. With a secret, the body is signed:
 * {@code X-Gantry-Signature-256: sha256=<hex HMAC-SHA256 of the exact body bytes>}, so the receiver can check it
 * came from this Gantry and was not altered. {@code X-Gantry-Event} names the event and {@code X-Gantry-Delivery}
 * is the same for every retry of one notification.
 */
public final class WebhookChannel implements Channel {

    public static final String SIGNATURE_HEADER = "X-Gantry-Signature-256";
    public static final String EVENT_HEADER = "X-Gantry-Event";
    public static final String DELIVERY_HEADER = "X-Gantry-Delivery";

    private final URI url;
    private final String secret;
    private final HttpPost http;

    WebhookChannel(URI url, String secret, HttpPost http) {
        this.url = url;
        this.secret = secret;
        this.http = http;
    }

    @Override
    public String kind() {
        return "webhook";
    }

    @Override
    public String target() {
        return Mask.hostOf(url);
    }

    @Override
    public String send(Notification notification, String deliveryId) throws DeliveryException {
        byte[] body = Payloads.webhook(notification);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(EVENT_HEADER, notification.event().yamlName());
        headers.put(DELIVERY_HEADER, deliveryId);
        if (secret != null) {
            headers.put(SIGNATURE_HEADER, signature(secret, body));
        }
        return http.post(url, body, headers);
    }

    /** {@code sha256=} and the hex HMAC-SHA256 of {@code body} keyed with {@code secret} (UTF-8). */
    public static String signature(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
