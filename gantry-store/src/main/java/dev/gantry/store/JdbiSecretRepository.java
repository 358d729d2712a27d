package dev.gantry.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** {@link SecretRepository} in plain SQL that H2 and PostgreSQL both run; a global secret has pipeline ''. */
final class JdbiSecretRepository implements SecretRepository {

    private static final String GLOBAL = "";

    private final Jdbi jdbi;

    JdbiSecretRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void save(SecretRow s) {
        jdbi.useTransaction(h -> {
            int updated = h.createUpdate("UPDATE secrets SET sealed = :sealed, updated_at = :at"
                            + " WHERE pipeline = :p AND name = :n")
                    .bind("p", scope(s.pipeline())).bind("n", s.name()).bind("sealed", s.sealed())
                    .bind("at", Timestamp.from(s.updatedAt())).execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO secrets (pipeline, name, sealed, updated_at) VALUES (:p, :n, :sealed, :at)")
                        .bind("p", scope(s.pipeline())).bind("n", s.name()).bind("sealed", s.sealed())
                        .bind("at", Timestamp.from(s.updatedAt())).execute();
            }
        });
    }

    @Override
    public Optional<SecretRow> find(String pipeline, String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM secrets WHERE pipeline = :p AND name = :n")
                .bind("p", scope(pipeline)).bind("n", name).map((rs, ctx) -> row(rs)).findOne());
    }

    @Override
    public List<SecretRow> list(String pipeline) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM secrets WHERE pipeline = :p ORDER BY name")
                .bind("p", scope(pipeline)).map((rs, ctx) -> row(rs)).list());
    }

    @Override
    public boolean delete(String pipeline, String name) {
        return jdbi.withHandle(h -> h.execute("DELETE FROM secrets WHERE pipeline = ? AND name = ?", scope(pipeline),
                name) > 0);
    }

    private static String scope(String pipeline) {
        return pipeline == null ? GLOBAL : pipeline;
    }

    private static SecretRow row(ResultSet rs) throws SQLException {
        String p = rs.getString("pipeline");
        return new SecretRow(p.equals(GLOBAL) ? null : p, rs.getString("name"), rs.getString("sealed"),
                rs.getTimestamp("updated_at").toInstant());
    }
}
