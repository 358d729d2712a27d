package dev.gantry.engine.notify;

import dev.gantry.core.pipeline.NotifyDef;
import dev.gantry.core.pipeline.SecretRef;
import dev.gantry.core.pipeline.Value;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.util.function.Function;

/**
 * Turns a {@code notify} entry into its {@link Channel}, resolving secrets (URL, signing key, SMTP user and
 * password) at that moment, and the {@link Mask} that hides them again in whatever the delivery log keeps.
 */
final class Channels {

    /** A channel ready to send, and what must never appear in what is recorded about it. */
    record Resolved(Channel channel, Mask mask) {
    }

    private final HttpClient http;
    private final RetryPolicy policy;

    Channels(HttpClient http, RetryPolicy policy) {
        this.http = http;
        this.policy = policy;
    }

    Resolved resolve(NotifyDef def, Function<SecretRef, String> secrets) throws DeliveryException {
        Mask mask = new Mask();
        HttpPost post = new HttpPost(http, policy.timeout());
        return switch (def.channel()) {
            case SLACK -> {
                URI url = url(def, secrets, mask);
                yield new Resolved(new SlackChannel(url, post), mask);
            }
            case WEBHOOK -> {
                URI url = url(def, secrets, mask);
                String key = def.secret() == null ? null : def.secret().resolve(secrets);
                mask.hide(key);
                yield new Resolved(new WebhookChannel(url, key, post), mask);
            }
            case EMAIL -> {
                NotifyDef.Smtp smtp = def.smtp();
                String user = optional(smtp.user(), secrets, mask);
                String password = optional(smtp.password(), secrets, mask);
                mask.hide(password); // written in the file or not, a password is never shown
                EmailChannel.Server server = new EmailChannel.Server(smtp.host(), smtp.port(), user, password,
                        smtp.starttls());
                yield new Resolved(new EmailChannel(server, def.from() != null ? def.from() : defaultFrom(), def.to(),
                        policy.timeout()), mask);
            }
        };
    }

    /**
     * Where {@code def} sends, before any secret is resolved: a literal URL's host, a secret URL's reference
     * ({@code {secret: slack-url}}), an email's recipients and server. What a delivery given up before it could be
     * resolved is recorded with.
     */
    static String describe(NotifyDef def) {
        if (def.channel() == NotifyDef.Channel.EMAIL) {
            return String.join(",", def.to()) + " via " + def.smtp().host() + ":" + def.smtp().port();
        }
        if (def.url() instanceof Value.Literal literal) {
            try {
                URI url = URI.create(literal.text().strip());
                if (url.getHost() != null) {
                    return Mask.hostOf(url);
                }
            } catch (IllegalArgumentException e) {
                // not a URL: said when an attempt is made
            }
            return "?";
        }
        return def.url() == null ? "?" : def.url().describe();
    }

    private static URI url(NotifyDef def, Function<SecretRef, String> secrets, Mask mask) throws DeliveryException {
        String text = def.url().resolve(secrets);
        URI url;
        try {
            url = URI.create(text.strip());
        } catch (IllegalArgumentException e) {
            mask.hide(text);
            throw new DeliveryException(def.path() + ".url " + def.url().describe() + " is not a URL", false);
        }
        mask.hideUrl(url);
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            throw new DeliveryException(def.path() + ".url " + def.url().describe() + " is not an http(s) URL",
                    false);
        }
        return url;
    }

    private static String optional(Value value, Function<SecretRef, String> secrets, Mask mask) {
        if (value == null) {
            return null;
        }
        String text = value.resolve(secrets);
        if (value instanceof SecretRef) {
            mask.hide(text);
        }
        return text;
    }

    private static String defaultFrom() {
        try {
            return "gantry@" + InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "gantry@localhost";
        }
    }
}
