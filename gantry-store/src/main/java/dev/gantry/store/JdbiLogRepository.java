package dev.gantry.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.jdbi.v3.core.Jdbi;

/** {@link LogRepository} in plain SQL that H2 and PostgreSQL both run. */
final class JdbiLogRepository implements LogRepository {

    private final Jdbi jdbi;

    JdbiLogRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public synchronized int append(String buildId, String task, String content, long[] times) {
        int lines = (int) content.chars().filter(c -> c == '\n').count();
        String encoded = times != null && times.length == lines ? LogTimes.encode(times) : null;
        return jdbi.inTransaction(h -> {
            var last = h.createQuery("SELECT seq, first_line + line_count AS next_line FROM log_chunks"
                            + " WHERE build_id = :b AND task = :t ORDER BY seq DESC LIMIT 1")
                    .bind("b", buildId).bind("t", task)
                    .map((rs, ctx) -> new long[] {rs.getInt("seq") + 1, rs.getLong("next_line")}).findOne()
                    .orElse(new long[] {0, 0});
            h.createUpdate("INSERT INTO log_chunks (build_id, task, seq, content, first_line, line_count, times)"
                            + " VALUES (:b, :t, :s, :c, :first, :count, :times)")
                    .bind("b", buildId).bind("t", task).bind("s", (int) last[0]).bind("c", content)
                    .bind("first", last[1]).bind("count", lines).bind("times", encoded).execute();
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
        scan(buildId, task, from, limit, false, (text, at) -> out.add(text));
        return out;
    }

    @Override
    public List<Line> timedLines(String buildId, String task, long from, int limit) {
        List<Line> out = new ArrayList<>();
        scan(buildId, task, from, limit, true,
                (text, at) -> out.add(new Line(text, at == null ? null : Instant.ofEpochMilli(at))));
        return out;
    }

    /** Gives lines {@code from} onwards, at most {@code limit}, chunk by chunk, with their times if asked. */
    private void scan(String buildId, String task, long from, int limit, boolean withTimes,
                      BiConsumer<String, Long> sink) {
        int[] given = {0};
        jdbi.useHandle(h -> h.createQuery("SELECT first_line, line_count, content" + (withTimes ? ", times" : "")
                        + " FROM log_chunks WHERE build_id = :b AND task = :t AND first_line + line_count > :from"
                        + " ORDER BY seq")
                .bind("b", buildId).bind("t", task).bind("from", from).setFetchSize(16)
                .map((rs, ctx) -> new Object[] {rs.getLong(1), rs.getInt(2), rs.getString(3),
                        withTimes ? rs.getString(4) : null}).useIterator(chunks -> {
                    while (chunks.hasNext() && given[0] < limit) {
                        Object[] c = chunks.next();
                        long line = (Long) c[0];
                        String text = (String) c[2];
                        long[] times = LogTimes.decode((String) c[3], (Integer) c[1]);
                        int start = 0;
                        int index = 0;
                        for (int nl = text.indexOf('\n'); nl >= 0 && given[0] < limit; nl = text.indexOf('\n', start)) {
                            if (line >= from) {
                                sink.accept(text.substring(start, nl), times == null ? null : times[index]);
                                given[0]++;
                            }
                            line++;
                            index++;
                            start = nl + 1;
                        }
                    }
                }));
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
