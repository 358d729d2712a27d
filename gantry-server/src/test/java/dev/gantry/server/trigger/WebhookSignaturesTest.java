package dev.gantry.server.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignaturesTest {

    // GitHub's documented example: secret "It's a Secret to Everybody", payload "Hello, World!"
    static final String SECRET = "It's a Secret to Everybody";
    static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    static final String SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    @Test
    void acceptsGithubsDocumentedExampleAndNothingElse() {
        assertThat(WebhookSignatures.github(SECRET, BODY, SIGNATURE)).isTrue();
        assertThat(WebhookSignatures.github(SECRET, BODY, SIGNATURE.toUpperCase().replace("SHA256", "sha256")))
                .isTrue();
        assertThat(WebhookSignatures.github("other", BODY, SIGNATURE)).isFalse();
        assertThat(WebhookSignatures.github(SECRET, "Hello, World?".getBytes(StandardCharsets.UTF_8), SIGNATURE))
                .isFalse();
        assertThat(WebhookSignatures.github(SECRET, BODY, SIGNATURE.substring(7))).isFalse();
        assertThat(WebhookSignatures.github(SECRET, BODY, null)).isFalse();
        assertThat(WebhookSignatures.github(null, BODY, SIGNATURE)).isFalse();
    }

    @Test
    void gitlabsTokenMustMatchExactly() {
        assertThat(WebhookSignatures.gitlab("tok", "tok")).isTrue();
        assertThat(WebhookSignatures.gitlab("tok", "tok ")).isFalse();
        assertThat(WebhookSignatures.gitlab("tok", null)).isFalse();
        assertThat(WebhookSignatures.gitlab(null, "tok")).isFalse();
    }
}
