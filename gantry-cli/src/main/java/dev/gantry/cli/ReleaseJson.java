package dev.gantry.cli;

import dev.gantry.core.deploy.Release;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A release as {@code --json} prints it: snake_case fields, statuses by their wire names, times in ISO-8601. */
final class ReleaseJson {

    private ReleaseJson() {
    }

    static Map<String, Object> of(Release r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pipeline", r.pipeline());
        m.put("environment", r.environment());
        m.put("number", r.number());
        m.put("status", r.status().wireName());
        m.put("build", r.build());
        m.put("commit", r.commit());
        m.put("branch", r.branch());
        m.put("tag", r.tag());
        m.put("trigger", r.trigger());
        m.put("port", r.port());
        m.put("created_at", text(r.createdAt()));
        m.put("live_at", text(r.liveAt()));
        m.put("ended_at", text(r.endedAt()));
        m.put("reason", r.reason());
        m.put("files", r.files());
        m.put("volumes", r.volumes());
        return m;
    }

    static String text(Instant at) {
        return at == null ? null : at.toString();
    }

    /** A time for a table: {@code 2026-11-30 19:04:05}, or {@code -}. */
    static String shortTime(Instant at) {
        return at == null ? "-" : at.toString().substring(0, 19).replace('T', ' ');
    }
}
