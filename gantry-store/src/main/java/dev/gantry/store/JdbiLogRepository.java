package dev.gantry.store;

import java.util.ArrayList;
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
        int lines = (int) content.chars().filter(c -> c == '\n').count();
        return jdbi.inTransaction(h -> {
            var last = h.createQuery("SELECT seq, first_line + line_count AS next_line FROM log_chunks"
                            + " WHERE build_id = :b AND task = :t ORDER BY seq DESC LIMIT 1")
                    .bind("b", buildId).bind("t", task)
                    .map((rs, ctx) -> new long[] {rs.getInt("seq") + 1, rs.getLong("next_line")}).findOne()
                    .orElse(new long[] {0, 0});
            h.createUpdate("INSERT INTO log_chunks (build_id, task, seq, content, first_line, line_count)"
                            + " VALUES (:b, :t, :s, :c, :first, :count)")
                    .bind("b", buildId).bind("t", task).bind("s", (int) last[0]).bind("c", content)
                    .bind("first", last[1]).bind("count", lines).execute();
            return (int) last[0];
        });
    }

    @Override
    public List<String> read(String buildId, String task, int from, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT content FROM log_chunks WHERE build_id = :b AND task = :t"
                        + " AND seq >= :from ORDER BY seq LIMIT :limit")
                .bind("b", buildId).bind("t", task).bind("from", from).bind("limit", limit)
                .mapTo(String.class).list());
    }

    @Override
    public List<String> lines(String buildId, String task, long from, int limit) {
        List<String> out = new ArrayList<>();
        jdbi.useHandle(h -> h.createQuery("SELECT first_line, content FROM log_chunks WHERE build_id = :b"
                        + " AND task = :t AND first_line + line_count > :from ORDER BY seq")
                .bind("b", buildId).bind("t", task).bind("from", from).setFetchSize(16)
                .map((rs, ctx) -> new Object[] {rs.getLong(1), rs.getString(2)}).useIterator(chunks -> {
                    while (chunks.hasNext() && out.size() < limit) {
                        Object[] c = chunks.next();
                        long line = (Long) c[0];
                        String text = (String) c[1];
                        int start = 0;
                        for (int nl = text.indexOf('\n'); nl >= 0 && out.size() < limit; nl = text.indexOf('\n', start)) {
                            if (line >= from) {
                                out.add(text.substring(start, nl));
                            }
                            line++;
                            start = nl + 1;
                        }
                    }
                }));
        return out;
    }

    @Override
    public long lineCount(String buildId, String task) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(first_line + line_count), 0) FROM log_chunks"
                        + " WHERE build_id = :b AND task = :t")
                .bind("b", buildId).bind("t", task).mapTo(Long.class).one());
    }

    @Override
    public int delete(String buildId) {
        return jdbi.withHandle(h -> h.execute("DELETE FROM log_chunks WHERE build_id = ?", buildId));
    }
}
