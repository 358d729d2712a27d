package dev.gantry.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Update;

/**
 * {@link BatchRepository} in plain SQL that H2 and PostgreSQL both run: an update, then an insert when no row was
 * there (a portable upsert); an insert that another writer beat is followed by the update again. The histogram is
 * kept as text, a JSON array of {@code [upper bound ms, count]} pairs.
 */
final class JdbiBatchRepository implements BatchRepository {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<List<Number>>> PAIRS = new TypeReference<>() {
    };
    private static final String COLUMNS = "state = :state, total = :total, done = :done, succeeded = :succeeded,"
            + " failed = :failed, skipped = :skipped, retries = :retries, elapsed_ms = :elapsedMs,"
            + " per_second = :perSecond, eta_ms = :etaMs, p50_ms = :p50Ms, p95_ms = :p95Ms, p99_ms = :p99Ms,"
            + " histogram = :histogram, failure = :failure, output = :output, updated_at = :updated";

    private final Jdbi jdbi;

    JdbiBatchRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void save(String buildId, BatchRow batch) {
        jdbi.useHandle(h -> {
            if (update(h, buildId, batch) > 0) {
                return;
            }
            try {
                bind(h.createUpdate("INSERT INTO batches (build_id, task, step, state, total,"
                        + " done, succeeded, failed, skipped, retries, elapsed_ms, per_second, eta_ms, p50_ms, p95_ms,"
                        + " p99_ms, histogram, failure, output, updated_at) VALUES (:build, :task, :step, :state,"
                        + " :total, :done, :succeeded, :failed, :skipped, :retries, :elapsedMs, :perSecond, :etaMs,"
                        + " :p50Ms, :p95Ms, :p99Ms, :histogram, :failure, :output, :updated)"), buildId, batch)
                        .execute(); // in autocommit: a refused insert spoils no transaction
            } catch (RuntimeException e) {
                if (!SqlErrors.isUniqueViolation(e)) {
                    throw e;
                }
                update(h, buildId, batch); // another writer inserted the row first: ours replaces it
            }
        });
    }

    @Override
    public List<BatchRow> list(String buildId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM batches WHERE build_id = :b ORDER BY task, step")
                .bind("b", buildId).map((rs, ctx) -> row(rs)).list());
    }

    private static int update(Handle h, String buildId, BatchRow batch) {
        return bind(h.createUpdate("UPDATE batches SET " + COLUMNS
                + " WHERE build_id = :build AND task = :task AND step = :step"), buildId, batch).execute();
    }

    private static Update bind(Update u, String buildId, BatchRow b) {
        return u.bind("build", buildId).bind("task", b.task()).bind("step", b.step()).bind("state", b.state())
                .bind("total", b.total()).bind("done", b.done()).bind("succeeded", b.succeeded())
                .bind("failed", b.failed()).bind("skipped", b.skipped()).bind("retries", b.retries())
                .bind("elapsedMs", b.elapsedMs()).bind("perSecond", b.perSecond()).bind("etaMs", b.etaMs())
                .bind("p50Ms", b.p50Ms()).bind("p95Ms", b.p95Ms()).bind("p99Ms", b.p99Ms())
                .bind("histogram", b.histogram().isEmpty() ? null : json(b.histogram()))
                .bind("failure", clip(b.failure(), 4000)).bind("output", clip(b.output(), 2048))
                .bind("updated", Timestamp.from(b.updatedAt()));
    }

    private static BatchRow row(ResultSet rs) throws SQLException {
        return new BatchRow(rs.getString("task"), rs.getString("step"), rs.getString("state"), rs.getLong("total"),
                rs.getLong("done"), rs.getLong("succeeded"), rs.getLong("failed"), rs.getLong("skipped"),
                rs.getLong("retries"), rs.getLong("elapsed_ms"), rs.getDouble("per_second"),
                rs.getObject("eta_ms", Long.class), rs.getObject("p50_ms", Double.class),
                rs.getObject("p95_ms", Double.class), rs.getObject("p99_ms", Double.class),
                histogram(rs.getString("histogram")), rs.getString("failure"), rs.getString("output"),
                rs.getTimestamp("updated_at").toInstant());
    }

    private static String json(List<BatchRow.Bucket> buckets) {
        List<List<Object>> pairs = new ArrayList<>();
        buckets.forEach(b -> pairs.add(java.util.Arrays.asList(b.upToMs(), b.count())));
        try {
            return JSON.writeValueAsString(pairs);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a batch's histogram as JSON", e);
        }
    }

    private static List<BatchRow.Bucket> histogram(String json) throws SQLException {
        if (json == null) {
            return List.of();
        }
        try {
            return JSON.readValue(json, PAIRS).stream().map(p -> new BatchRow.Bucket(
                    p.get(0) == null ? null : p.get(0).doubleValue(), p.get(1).longValue())).toList();
        } catch (JsonProcessingException | RuntimeException e) {
            throw new SQLException("A stored batch histogram is not a JSON array of [upper bound ms, count] pairs", e);
        }
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
