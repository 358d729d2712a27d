package dev.gantry.engine.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.core.pipeline.ProbeDef;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/** Passes when the answer's status is in range and every expected JSON field has its value. */
final class HttpProbe implements Probe {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();

    private final ProbeDef.HttpCheck check;
    private final URI uri;

    HttpProbe(ProbeDef.HttpCheck check, ProbeTarget target) {
        this.check = check;
        this.uri = URI.create(check.target().startsWith("/")
                ? "http://" + target.host() + ":" + target.port() + check.target() : check.target());
    }

    @Override
    public ProbeResult check(Duration timeout) {
        HttpRequest.BodyPublisher body = check.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(check.body());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).method(check.method(), body);
        if (check.body() != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String seen = "HTTP " + response.statusCode() + shorten(response.body());
            if (response.statusCode() < check.statusMin() || response.statusCode() > check.statusMax()) {
                return ProbeResult.fail(seen);
            }
            return jsonMismatch(response.body()).map(ProbeResult::fail).orElseGet(() -> ProbeResult.ok(seen));
        } catch (HttpTimeoutException e) {
            return ProbeResult.fail("no answer within " + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            return ProbeResult.fail("connection refused");
        } catch (IOException e) {
            return ProbeResult.fail(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProbeResult.fail("interrupted");
        }
    }

    private java.util.Optional<String> jsonMismatch(String body) {
        if (check.json().isEmpty()) {
            return java.util.Optional.empty();
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return java.util.Optional.of("the answer is not JSON" + shorten(body));
        }
        for (Map.Entry<String, String> e : check.json().entrySet()) {
            JsonNode node = root;
            for (String part : e.getKey().split("\\.")) {
                node = node == null ? null : node.get(part);
            }
            String actual = node == null || node.isMissingNode() ? null : node.asText();
            if (!e.getValue().equals(actual)) {
                return java.util.Optional.of("JSON field " + e.getKey() + " is " + (actual == null ? "missing"
                        : "'" + actual + "'") + ", expected '" + e.getValue() + "'" + shorten(body));
            }
        }
        return java.util.Optional.empty();
    }

    private static String shorten(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String b = body.strip().replaceAll("\\s+", " ");
        return ": " + (b.length() > 160 ? b.substring(0, 157) + "..." : b);
    }
}
