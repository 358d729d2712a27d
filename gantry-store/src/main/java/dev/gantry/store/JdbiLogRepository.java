package dev.gantry.store;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** {@link LogRepository} in plain SQL that H2 and PostgreSQL both run. */
final class JdbiLogRepository implements LogRepository {

    private final Jdbi jdbi;

    JdbiLogRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public synchronized int append(String buildId, String task, String content) {
        return jdbi.inTransaction(h -> {
            int seq = h.createQuery("SELECT COALESCE(MAX(seq) + 1, 0) FROM log_chunks WHERE build_id = :b AND task = :t")
                    .bind("b", buildId).bind("t", task).mapTo(Integer.class).one();
            h.createUpdate("INSERT INTO log_chunks (build_id, task, seq, content) VALUES (:b, :t, :s, :c)")
                    .bind("b", buildId).bind("t", task).bind("s", seq).bind("c", content).execute();
            return seq;
        });
    }

    @Override
    public List<String> read(String buildId, String task, int from, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT content FROM log_chunks WHERE build_id = :b AND task = :t"
                        + " AND seq >= :from ORDER BY seq LIMIT :limit")
                .bind("b", buildId).bind("t", task).bind("from", from).bind("limit", limit)
                .mapTo(String.class).list());
    }
}
