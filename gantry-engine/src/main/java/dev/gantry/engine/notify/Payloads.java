package dev.gantry.engine.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** The bodies the HTTP channels post, in one place so the docs and tests have one format to describe. */
final class Payloads {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Payloads() {
    }

    /** Slack's incoming-webhook message: {@code {"text": "<summary>\n<links>"}}. */
    static byte[] slack(Notification n) {
        StringBuilder text = new StringBuilder(n.summary());
        n.links().forEach((name, url) -> text.append('\n').append(name).append(": ").append(url));
        ObjectNode body = JSON.createObjectNode().put("text", text.toString());
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The generic webhook's body: event, pipeline, build, environment, release, status, message, links and at
     * (ISO-8601); absent values are JSON null.
     */
    static byte[] webhook(Notification n) {
        ObjectNode body = JSON.createObjectNode();
        body.put("event", n.event().yamlName());
        body.put("pipeline", n.pipeline());
        body.put("build", n.build());
        body.put("environment", n.environment());
        body.put("release", n.release());
        body.put("status", n.status());
        body.put("message", n.message());
        ObjectNode links = body.putObject("links");
        n.links().forEach(links::put);
        body.put("at", n.at().toString());
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }
}
