package dev.gantry.core.load;

import dev.gantry.core.pipeline.NotifyDef;
import dev.gantry.core.pipeline.NotifyEvent;
import dev.gantry.core.pipeline.Value;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pipeline's {@code notify}: a list of channels ({@code slack}, {@code webhook}, {@code email}), each with the
 * events it is told about. URLs, HMAC keys and SMTP credentials may be {@code {secret: NAME}}.
 */
final class NotifyParser {

    /** What a channel is told about when its {@code on} is left out: failures, fixes and rollbacks, not successes. */
    static final Set<NotifyEvent> DEFAULT_EVENTS = Set.copyOf(EnumSet.of(NotifyEvent.BUILD_FAILED,
            NotifyEvent.BUILD_FIXED, NotifyEvent.DEPLOY_FAILED, NotifyEvent.DEPLOY_ROLLED_BACK,
            NotifyEvent.MONITOR_FAILED, NotifyEvent.MONITOR_RECOVERED));

    static final int DEFAULT_SMTP_PORT = 587;

    private NotifyParser() {
    }

    static List<NotifyDef> notifications(YNode node) {
        List<NotifyDef> out = new ArrayList<>();
        node.sequence().ifPresent(items -> items.forEach(item -> notification(item).ifPresent(out::add)));
        return out;
    }

    private static Optional<NotifyDef> notification(YNode item) {
        if (!item.isMapping()) {
            item.problem("a notification is a mapping with one key naming its channel, e.g. "
                    + "'- slack: {url: {secret: slack-url}}'");
            return Optional.empty();
        }
        Map<String, YNode> keys = item.mapping(null).orElse(Map.of());
        if (keys.size() != 1) {
            item.problem("a notification has exactly one key naming its channel (" + String.join(", ", Keys.NOTIFY)
                    + "); found " + (keys.isEmpty() ? "none" : String.join(", ", keys.keySet())));
            return Optional.empty();
        }
        Map.Entry<String, YNode> e = keys.entrySet().iterator().next();
        YNode value = e.getValue();
        return switch (e.getKey()) {
            case "slack" -> value.mapping(Keys.SLACK).flatMap(k -> posting(NotifyDef.Channel.SLACK, value, k));
            case "webhook" -> value.mapping(Keys.WEBHOOK).flatMap(k -> posting(NotifyDef.Channel.WEBHOOK, value, k));
            case "email" -> value.mapping(Keys.EMAIL).flatMap(k -> email(value, k));
            default -> {
                value.problem("unknown notification channel '" + e.getKey() + "'"
                        + Suggestions.hint(e.getKey(), Keys.NOTIFY) + "; channels: " + String.join(", ", Keys.NOTIFY));
                yield Optional.empty();
            }
        };
    }

    /** {@code slack} and {@code webhook}: a URL to post to. */
    private static Optional<NotifyDef> posting(NotifyDef.Channel channel, YNode node, Map<String, YNode> keys) {
        YNode urlNode = keys.get("url");
        if (urlNode == null) {
            node.problem("a " + channel.yamlName() + " notification needs 'url': " + (channel == NotifyDef.Channel.SLACK
                    ? "the incoming webhook's URL" : "where to post the event") + ", usually {secret: NAME}");
            return Optional.empty();
        }
        Optional<Value> url = url(urlNode);
        Value secret = Optional.ofNullable(keys.get("secret")).flatMap(n -> EnvParser.value(n, "secret"))
                .orElse(null);
        Set<NotifyEvent> on = on(keys.get("on"));
        return url.map(u -> new NotifyDef(channel, node.location(), node.path(), u, secret, null, null, List.of(), on));
    }

    private static Optional<Value> url(YNode node) {
        Optional<Value> url = EnvParser.value(node, "url");
        if (url.isPresent() && url.get() instanceof Value.Literal literal) {
            String lower = literal.text().toLowerCase(Locale.ROOT);
            if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
                node.problem("url must start with http:// or https://, found '" + literal.text() + "'");
                return Optional.empty();
            }
        }
        return url;
    }

    private static Optional<NotifyDef> email(YNode node, Map<String, YNode> keys) {
        YNode smtpNode = keys.get("smtp");
        YNode toNode = keys.get("to");
        if (smtpNode == null) {
            node.problem("an email notification needs 'smtp': the mail server, e.g. smtp: {host: smtp.example, "
                    + "user: ci, password: {secret: smtp-password}}");
        }
        if (toNode == null) {
            node.problem("an email notification needs 'to': the addresses to send to");
        }
        Optional<NotifyDef.Smtp> smtp = Optional.ofNullable(smtpNode).flatMap(NotifyParser::smtp);
        Optional<List<String>> to = Optional.ofNullable(toNode).flatMap(n -> addresses(n));
        String from = Optional.ofNullable(keys.get("from")).flatMap(NotifyParser::address).orElse(null);
        Set<NotifyEvent> on = on(keys.get("on"));
        if (smtp.isEmpty() || to.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new NotifyDef(NotifyDef.Channel.EMAIL, node.location(), node.path(), null, null,
                smtp.get(), from, to.get(), on));
    }

    private static Optional<NotifyDef.Smtp> smtp(YNode node) {
        return node.mapping(Keys.SMTP).flatMap(keys -> {
            YNode hostNode = keys.get("host");
            if (hostNode == null) {
                node.problem("smtp needs 'host': the mail server's name");
                return Optional.empty();
            }
            Optional<String> host = hostNode.nonBlank();
            int port = Optional.ofNullable(keys.get("port")).flatMap(n -> n.integer(1, 65535))
                    .orElse(DEFAULT_SMTP_PORT);
            Value user = Optional.ofNullable(keys.get("user")).flatMap(n -> EnvParser.value(n, "user")).orElse(null);
            Value password = Optional.ofNullable(keys.get("password")).flatMap(n -> EnvParser.value(n, "password"))
                    .orElse(null);
            if (keys.containsKey("user") != keys.containsKey("password")) {
                node.problem("smtp needs both 'user' and 'password' to log in, or neither");
            }
            boolean starttls = Optional.ofNullable(keys.get("starttls")).flatMap(YNode::bool).orElse(true);
            return host.map(h -> new NotifyDef.Smtp(h, port, user, password, starttls));
        });
    }

    private static Optional<List<String>> addresses(YNode node) {
        Optional<List<String>> to = NonEmptyLists.of(node, "address");
        if (to.isPresent() && !to.get().stream().allMatch(NotifyParser::looksLikeAddress)) {
            node.problem("'" + to.get().stream().filter(a -> !looksLikeAddress(a)).findFirst().orElseThrow()
                    + "' is not an email address");
            return Optional.empty();
        }
        return to;
    }

    private static Optional<String> address(YNode node) {
        Optional<String> a = node.nonBlank();
        if (a.isPresent() && !looksLikeAddress(a.get())) {
            node.problem("'" + a.get() + "' is not an email address");
            return Optional.empty();
        }
        return a;
    }

    private static boolean looksLikeAddress(String a) {
        int at = a.indexOf('@');
        return at > 0 && at < a.length() - 1 && a.indexOf('@', at + 1) < 0
                && a.chars().noneMatch(Character::isWhitespace);
    }

    /** {@code on}: event names or {@code all}; the defaults when left out. */
    private static Set<NotifyEvent> on(YNode node) {
        if (node == null) {
            return DEFAULT_EVENTS;
        }
        List<YNode> items = node.isScalar() ? List.of(node) : node.sequence().orElse(List.of());
        if (node.isSequence() && items.isEmpty()) {
            node.problem("must list at least one event, or leave 'on' out for the defaults");
            return DEFAULT_EVENTS;
        }
        List<String> known = new ArrayList<>(NotifyEvent.yamlNames());
        known.add(NotifyEvent.ALL);
        Set<NotifyEvent> events = EnumSet.noneOf(NotifyEvent.class);
        for (YNode item : items) {
            item.nonBlank().ifPresent(name -> {
                if (name.equals(NotifyEvent.ALL)) {
                    events.addAll(EnumSet.allOf(NotifyEvent.class));
                } else {
                    NotifyEvent.of(name).ifPresentOrElse(events::add, () -> item.problem("unknown event '" + name
                            + "'" + Suggestions.hint(name, known) + "; events: " + String.join(", ", known)));
                }
            });
        }
        return events;
    }
}
