package dev.gantry.server.trigger;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Proofs that a webhook came from whoever knows the pipeline's secret; every comparison takes constant time. */
public final class WebhookSignatures {

    private WebhookSignatures() {
    }

    /** GitHub's {@code X-Hub-Signature-256}: {@code sha256=} and the hex HMAC-SHA256 of the body. */
    public static boolean github(String secret, byte[] body, String header) {
        if (secret == null || header == null || !header.startsWith("sha256=")) {
            return false;
        }
        byte[] expected = ("sha256=" + HexFormat.of().formatHex(hmac(secret, body)))
                .getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, header.trim().toLowerCase(java.util.Locale.ROOT)
                .getBytes(StandardCharsets.US_ASCII));
    }

    /** GitLab's {@code X-Gitlab-Token}: the secret itself. */
    public static boolean gitlab(String secret, String header) {
        return secret != null && header != null
                && MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                        header.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
