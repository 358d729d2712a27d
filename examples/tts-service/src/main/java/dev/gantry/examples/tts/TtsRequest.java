package dev.gantry.examples.tts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Set;

/** A validated synthesis request: {@code {"text", "emotion", "intensity", "speed", "speaker"}}. */
public record TtsRequest(String text, Emotion emotion, double intensity, double speed, Speaker speaker) {

    public TtsRequest(String text, Emotion emotion, double intensity, double speed) {
        this(text, emotion, intensity, speed, Speaker.KEVIN);
    }

    public static final int MAX_TEXT = 1000;
    private static final Set<String> FIELDS = Set.of("text", "emotion", "intensity", "speed", "speaker");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Thrown for a request the client must fix; its message is what the client is told. */
    public static final class BadRequest extends Exception {
        public BadRequest(String message) {
            super(message);
        }
    }

    public static TtsRequest parse(String body) throws BadRequest {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequest("malformed JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadRequest("expected a JSON object such as {\"text\": \"Hello\", \"emotion\": \"happy\"}");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new BadRequest("unknown field '" + f + "'; fields: text, emotion, intensity, speed, speaker");
            }
        }
        JsonNode textNode = root.get("text");
        if (textNode == null || !textNode.isTextual() || textNode.asText().isBlank()) {
            throw new BadRequest("'text' must be a non-empty string");
        }
        String text = textNode.asText().strip();
        if (text.length() > MAX_TEXT) {
            throw new BadRequest("'text' is " + text.length() + " characters; the limit is " + MAX_TEXT);
        }
        Emotion emotion = Emotion.NEUTRAL;
        if (root.has("emotion")) {
            String e = root.get("emotion").asText();
            emotion = Emotion.parse(e).orElseThrow(() -> new BadRequest("unknown emotion '" + e + "'; use one of "
                    + Emotion.names()));
        }
        Speaker speaker = Speaker.KEVIN;
        if (root.has("speaker")) {
            String s = root.get("speaker").asText();
            speaker = Speaker.parse(s).orElseThrow(() -> new BadRequest("unknown speaker '" + s + "'; use one of "
                    + Speaker.names()));
        }
        double intensity = number(root, "intensity", 0.5, 0, 1);
        double speed = number(root, "speed", 1.0, 0.5, 2.0);
        return new TtsRequest(text, emotion, intensity, speed, speaker);
    }

    private static double number(JsonNode root, String field, double dflt, double min, double max) throws BadRequest {
        JsonNode n = root.get(field);
        if (n == null) {
            return dflt;
        }
        if (!n.isNumber()) {
            throw new BadRequest("'" + field + "' must be a number between " + min + " and " + max);
        }
        double v = n.asDouble();
        if (v < min || v > max) {
            throw new BadRequest("'" + field + "' is " + v + "; it must be between " + min + " and " + max);
        }
        return v;
    }
}
