package dev.gantry.store;

import java.sql.Timestamp;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/** {@link ResultRepository} in plain SQL that H2 and PostgreSQL both run; rows are inserted in batches. */
final class JdbiResultRepository implements ResultRepository {

    private final Jdbi jdbi;

    JdbiResultRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void addTests(String buildId, List<ResultRows.TestRow> tests) {
        insert("INSERT INTO test_results (build_id, task, suite, class_name, name, status, seconds, message)"
                        + " VALUES (:build, :task, :suite, :className, :name, :status, :seconds, :message)", tests,
                (batch, t) -> batch.bindMethods(t).bind("build", buildId).bind("message", clip(t.message())));
    }

    @Override
    public List<ResultRows.TestRow> tests(String buildId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM test_results WHERE build_id = :b"
                        + " ORDER BY seconds DESC, name")
                .bind("b", buildId).map((rs, ctx) -> test(rs)).list());
    }

    @Override
    public java.util.Map<String, List<ResultRows.TestRow>> tests(java.util.Collection<String> buildIds) {
        java.util.Map<String, List<ResultRows.TestRow>> out = new java.util.HashMap<>();
        if (buildIds.isEmpty()) {
            return out;
        }
        jdbi.useHandle(h -> h.createQuery("SELECT * FROM test_results WHERE build_id IN (<ids>)"
                        + " ORDER BY seconds DESC, name")
                .bindList("ids", List.copyOf(buildIds)).map((rs, ctx) -> java.util.Map.entry(rs.getString("build_id"), test(rs)))
                .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new java.util.ArrayList<>()).add(e.getValue())));
        return out;
    }

    private static ResultRows.TestRow test(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new ResultRows.TestRow(rs.getString("task"), rs.getString("suite"), rs.getString("class_name"),
                rs.getString("name"), rs.getString("status"), rs.getDouble("seconds"), rs.getString("message"));
    }

    @Override
    public void addArtifacts(String buildId, List<ResultRows.ArtifactRow> artifacts) {
        insert("INSERT INTO artifacts (build_id, task, name, path, bytes) VALUES (:build, :task, :name, :path, :bytes)",
                artifacts, (batch, a) -> batch.bindMethods(a).bind("build", buildId));
    }

    @Override
    public List<ResultRows.ArtifactRow> artifacts(String buildId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM artifacts WHERE build_id = :b ORDER BY task, name, path")
                .bind("b", buildId).map((rs, ctx) -> new ResultRows.ArtifactRow(rs.getString("task"),
                        rs.getString("name"), rs.getString("path"), rs.getLong("bytes"))).list());
    }

    @Override
    public void addCacheUse(String buildId, ResultRows.CacheRow use) {
        insert("INSERT INTO cache_uses (build_id, task, action, cache_key, bytes, took_ms, at)"
                        + " VALUES (:build, :task, :action, :key, :bytes, :tookMs, :at)", List.of(use),
                (batch, c) -> batch.bindMethods(c).bind("build", buildId).bind("at", Timestamp.from(c.at())));
    }

    @Override
    public List<ResultRows.CacheRow> caches(String buildId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM cache_uses WHERE build_id = :b ORDER BY at, task")
                .bind("b", buildId).map((rs, ctx) -> new ResultRows.CacheRow(rs.getString("task"),
                        rs.getString("action"), rs.getString("cache_key"), (Long) rs.getObject("bytes", Long.class),
                        rs.getLong("took_ms"), rs.getTimestamp("at").toInstant())).list());
    }

    @Override
    public void addTelemetry(String buildId, List<ResultRows.TelemetryRow> samples) {
        insert("INSERT INTO telemetry (build_id, task, scope, at, cpu_percent, rss_bytes, gpu_percent, gpu_bytes)"
                        + " VALUES (:build, :task, :scope, :at, :cpuPercent, :rssBytes, :gpuPercent, :gpuBytes)", samples,
                (batch, s) -> batch.bindMethods(s).bind("build", buildId).bind("at", Timestamp.from(s.at())));
    }

    @Override
    public List<ResultRows.TelemetryRow> telemetry(String buildId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM telemetry WHERE build_id = :b ORDER BY at, task, scope")
                .bind("b", buildId).map((rs, ctx) -> new ResultRows.TelemetryRow(rs.getString("task"),
                        rs.getString("scope"), rs.getTimestamp("at").toInstant(), rs.getDouble("cpu_percent"),
                        rs.getLong("rss_bytes"), (Integer) rs.getObject("gpu_percent", Integer.class),
                        (Long) rs.getObject("gpu_bytes", Long.class))).list());
    }

    /** Inserts every row in one batch and one transaction; nothing for no rows. */
    private <T> void insert(String sql, List<T> rows, java.util.function.BiConsumer<PreparedBatch, T> bind) {
        if (rows.isEmpty()) {
            return;
        }
        jdbi.useTransaction(h -> {
            PreparedBatch batch = h.prepareBatch(sql);
            rows.forEach(r -> {
                bind.accept(batch, r);
                batch.add();
            });
            batch.execute();
        });
    }

    private static String clip(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 3999) + "…";
    }

    @Override
    public void deleteArtifactsAndTelemetry(String buildId) {
        jdbi.useTransaction(h -> {
            h.execute("DELETE FROM artifacts WHERE build_id = ?", buildId);
            h.execute("DELETE FROM telemetry WHERE build_id = ?", buildId);
        });
    }
}
