package dev.gantry.store;

import dev.gantry.core.notify.Delivery;
import dev.gantry.core.notify.DeliveryLog;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link DeliveryLog} in plain SQL that H2 and PostgreSQL both run: one row per attempt, never updated, so the API
 * and UI show every try at a notification. Attempts recorded at the same instant keep the order they were recorded.
 */
final class JdbiDeliveryRepository implements DeliveryLog {

    private final Jdbi jdbi;

    JdbiDeliveryRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void record(Delivery d) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO notification_deliveries (id, pipeline, channel, target, event,"
                        + " build_number, environment, release_number, attempt, status, detail, at) VALUES (:id,"
                        + " :pipeline, :channel, :target, :event, :build, :environment, :release, :attempt, :status,"
                        + " :detail, :at)")
                .bind("id", d.id()).bind("pipeline", d.pipeline()).bind("channel", d.channel())
                .bind("target", clip(d.target(), 2048)).bind("event", d.event()).bind("build", d.build())
                .bind("environment", d.environment()).bind("release", d.release()).bind("attempt", d.attempt())
                .bind("status", d.status()).bind("detail", clip(d.detail(), 4000)).bind("at", Timestamp.from(d.at()))
                .execute());
    }

    @Override
    public List<Delivery> recent(String pipeline, int limit) {
        String where = pipeline == null ? "" : " WHERE pipeline = :p";
        return jdbi.withHandle(h -> {
            var query = h.createQuery("SELECT * FROM notification_deliveries" + where
                    + " ORDER BY at DESC, seq DESC LIMIT :limit").bind("limit", limit);
            if (pipeline != null) {
                query.bind("p", pipeline);
            }
            return query.map((rs, ctx) -> delivery(rs)).list();
        });
    }

    private static Delivery delivery(ResultSet rs) throws SQLException {
        return new Delivery(rs.getString("id"), rs.getString("pipeline"), rs.getString("channel"),
                rs.getString("target"), rs.getString("event"), rs.getObject("build_number", Long.class),
                rs.getString("environment"), rs.getObject("release_number", Integer.class), rs.getInt("attempt"),
                rs.getString("status"), rs.getString("detail"), rs.getTimestamp("at").toInstant());
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
