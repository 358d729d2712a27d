package dev.gantry.store;

import dev.gantry.core.pipeline.Retention;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementException;

/** {@link PipelineRepository} in plain SQL that H2 and PostgreSQL both run. */
final class JdbiPipelineRepository implements PipelineRepository {

    private final Jdbi jdbi;

    JdbiPipelineRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void save(PipelineRow p) {
        jdbi.useTransaction(h -> {
            int updated = h.createUpdate("UPDATE pipelines SET repository = :repository, file = :file,"
                            + " branch = :branch, check_every_ms = :every, webhook_secret = :secret WHERE name = :name")
                    .bind("name", p.name()).bind("repository", p.repository()).bind("file", p.file())
                    .bind("branch", p.branch()).bind("every", p.checkEvery().toMillis())
                    .bind("secret", p.webhookSecret()).execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO pipelines (name, repository, file, branch, check_every_ms, webhook_secret,"
                                + " added_at) VALUES (:name, :repository, :file, :branch, :every, :secret, :added)")
                        .bind("name", p.name()).bind("repository", p.repository()).bind("file", p.file())
                        .bind("branch", p.branch()).bind("every", p.checkEvery().toMillis())
                        .bind("secret", p.webhookSecret()).bind("added", Timestamp.from(p.addedAt())).execute();
            }
        });
    }

    @Override
    public Optional<PipelineRow> find(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM pipelines WHERE name = :n").bind("n", name)
                .map((rs, ctx) -> row(rs)).findOne());
    }

    @Override
    public List<PipelineRow> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM pipelines ORDER BY name")
                .map((rs, ctx) -> row(rs)).list());
    }

    @Override
    public boolean delete(String name) {
        return jdbi.inTransaction(h -> {
            h.execute("DELETE FROM pipeline_refs WHERE pipeline = ?", name);
            h.execute("DELETE FROM secrets WHERE pipeline = ?", name);
            h.execute("DELETE FROM webhook_deliveries WHERE pipeline = ?", name);
            return h.execute("DELETE FROM pipelines WHERE name = ?", name) > 0;
        });
    }

    @Override
    public Map<String, String> refs(String name) {
        Map<String, String> refs = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT ref, commit_sha FROM pipeline_refs WHERE pipeline = :n ORDER BY ref")
                .bind("n", name).map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> refs.put(e.getKey(), e.getValue())));
        return refs;
    }

    @Override
    public void saveRef(String name, String ref, String commit) {
        jdbi.useTransaction(h -> {
            int updated = h.createUpdate("UPDATE pipeline_refs SET commit_sha = :c WHERE pipeline = :n AND ref = :r")
                    .bind("n", name).bind("r", ref).bind("c", commit).execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO pipeline_refs (pipeline, ref, commit_sha) VALUES (:n, :r, :c)")
                        .bind("n", name).bind("r", ref).bind("c", commit).execute();
            }
        });
    }

    @Override
    public boolean recordDelivery(String pipeline, String provider, String deliveryId, Instant at, Instant keepSince) {
        try {
            return jdbi.inTransaction(h -> {
                h.execute("DELETE FROM webhook_deliveries WHERE received_at < ?", Timestamp.from(keepSince));
                boolean seen = h.createQuery("SELECT COUNT(*) FROM webhook_deliveries WHERE pipeline = :n"
                                + " AND provider = :p AND delivery_id = :d").bind("n", pipeline).bind("p", provider)
                        .bind("d", deliveryId).mapTo(Long.class).one() > 0;
                if (!seen) {
                    h.createUpdate("INSERT INTO webhook_deliveries (pipeline, provider, delivery_id,"
                                    + " received_at) VALUES (:n, :p, :d, :at)")
                            .bind("n", pipeline).bind("p", provider).bind("d", deliveryId)
                            .bind("at", Timestamp.from(at)).execute();
                }
                return !seen;
            });
        } catch (StatementException e) {
            if (SqlErrors.isUniqueViolation(e)) {
                return false; // the same delivery, recorded at this moment by another request
            }
            throw e;
        }
    }

    private static PipelineRow row(ResultSet rs) throws SQLException {
        return new PipelineRow(rs.getString("name"), rs.getString("repository"), rs.getString("file"),
                rs.getString("branch"), Duration.ofMillis(rs.getLong("check_every_ms")), rs.getString("webhook_secret"),
                rs.getTimestamp("added_at").toInstant());
    }

    @Override
    public void saveRetention(String name, Retention retention) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE pipelines SET keep_builds = :builds, keep_days = :days"
                        + " WHERE name = :name")
                .bind("name", name).bind("builds", retention.builds()).bind("days", retention.days()).execute());
    }

    @Override
    public Retention retention(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT keep_builds, keep_days FROM pipelines WHERE name = :n")
                .bind("n", name).map((rs, ctx) -> new Retention((Integer) rs.getObject("keep_builds", Integer.class),
                        (Integer) rs.getObject("keep_days", Integer.class))).findOne().orElse(Retention.FOREVER));
    }
}
