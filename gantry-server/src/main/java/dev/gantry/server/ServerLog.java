package dev.gantry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the server tells its operator: one line per thing that happened (builds, triggers, refusals). As readable
 * text ({@code 2026-01-02T03:04:05Z WARN message}), or as one JSON object per line for Loki or Elasticsearch
 * ({@code {"time":...,"level":"warn","message":...,"pipeline":...,"build":7,"task":...,"environment":...}}, the
 * last four where they apply).
 */
public final class ServerLog {

    /** How lines are written. */
    public enum Format {
        TEXT, JSON
    }

    /**
     * What a line is about; every field may be null.
     *
     * @param build the build's number in its pipeline
     */
    public record About(String pipeline, Long build, String task, String environment) {

        public static final About NOTHING = new About(null, null, null, null);

        public static About pipeline(String pipeline) {
            return new About(pipeline, null, null, null);
        }

        public static About build(String pipeline, long number) {
            return new About(pipeline, number, null, null);
        }

        public static About task(String pipeline, long number, String task) {
            return new About(pipeline, number, task, null);
        }

        public static About environment(String pipeline, String environment) {
            return new About(pipeline, null, null, environment);
        }
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final Clock clock;
    private final Format format;

    public ServerLog(PrintStream out, Clock clock) {
        this(out, clock, Format.TEXT);
    }

    public ServerLog(PrintStream out, Clock clock, Format format) {
        this.out = out;
        this.clock = clock;
        this.format = format;
    }

    public void info(String message) {
        write("info", message, About.NOTHING);
    }

    public void warn(String message) {
        write("warn", message, About.NOTHING);
    }

    public void info(String message, About about) {
        write("info", message, about);
    }

    public void warn(String message, About about) {
        write("warn", message, about);
    }

    private synchronized void write(String level, String message, About about) {
        String time = TIME.format(clock.instant());
        if (format == Format.TEXT) {
            out.println(time + (level.equals("warn") ? " WARN " : " ") + message);
        } else {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("time", time);
            line.put("level", level);
            line.put("message", message);
            putIfKnown(line, "pipeline", about.pipeline());
            putIfKnown(line, "build", about.build());
            putIfKnown(line, "task", about.task());
            putIfKnown(line, "environment", about.environment());
            try {
                out.println(JSON.writeValueAsString(line));
            } catch (JsonProcessingException e) {
                out.println(time + " " + level + " " + message); // a map of strings always serialises
            }
        }
        out.flush();
    }

    private static void putIfKnown(Map<String, Object> line, String key, Object value) {
        if (value != null) {
            line.put(key, value);
        }
    }
}
