package dev.gantry.cli.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.gantry.engine.event.BuildEvent;
import dev.gantry.engine.event.BuildListener;
import java.io.PrintStream;
import java.nio.file.Path;

/** {@code --json}: one JSON object per event and line, {@code "event"} naming its type, for machines. */
public final class JsonReporter implements BuildListener {

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
    private final PrintStream out;

    public JsonReporter(PrintStream out) {
        this.out = out;
        json.addMixIn(Path.class, PathAsString.class);
    }

    @Override
    public synchronized void on(BuildEvent event) {
        out.println(line(event));
        out.flush();
    }

    String line(BuildEvent event) {
        try {
            ObjectNode node = json.createObjectNode();
            node.put("event", event.getClass().getSimpleName());
            node.setAll((ObjectNode) json.valueToTree(event));
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write event " + event, e);
        }
    }

    /** Writes paths as plain strings rather than URIs. */
    @com.fasterxml.jackson.databind.annotation.JsonSerialize(using = com.fasterxml.jackson.databind.ser.std.ToStringSerializer.class)
    private abstract static class PathAsString {
    }
}
