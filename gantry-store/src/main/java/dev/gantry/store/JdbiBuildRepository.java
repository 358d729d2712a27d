package dev.gantry.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** {@link BuildRepository} in plain SQL that H2 and PostgreSQL both run. */
final class JdbiBuildRepository implements BuildRepository {

    private final Jdbi jdbi;

    JdbiBuildRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void save(BuildRow b) {
        jdbi.useTransaction(h -> {
            int updated = h.createUpdate("UPDATE builds SET status = :status, finished_at = :finished,"
                            + " commit_sha = :commit, branch = :branch, tag = :tag,"
                            + " pipeline_digest = CASE WHEN :digest = '' THEN pipeline_digest ELSE :digest END"
                            + " WHERE id = :id")
                    .bind("id", b.id()).bind("digest", b.pipelineDigest()).bind("status", b.status()).bind("finished", ts(b.finishedAt()))
                    .bind("commit", b.commit()).bind("branch", b.branch()).bind("tag", b.tag()).execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO builds (id, pipeline, number, pipeline_file, pipeline_digest, commit_sha,"
                                + " branch, tag, author, message, trigger_kind, status, started_at, finished_at)"
                                + " VALUES (:id, :pipeline, :number, :file, :digest, :commit, :branch, :tag, :author,"
                                + " :message, :trigger, :status, :started, :finished)")
                        .bind("author", b.author()).bind("message", b.message())
                        .bind("id", b.id()).bind("pipeline", b.pipeline()).bind("number", b.number())
                        .bind("file", b.pipelineFile()).bind("digest", b.pipelineDigest()).bind("commit", b.commit())
                        .bind("branch", b.branch()).bind("tag", b.tag()).bind("trigger", b.trigger())
                        .bind("status", b.status()).bind("started", ts(b.startedAt()))
                        .bind("finished", ts(b.finishedAt())).execute();
            }
            if (b.tasks().isEmpty() && updated > 0) {
                return; // a status change: the tasks stored stay
            }
            h.execute("DELETE FROM tasks WHERE build_id = ?", b.id());
            int position = 0;
            for (BuildRow.TaskRow t : b.tasks()) {
                h.createUpdate("INSERT INTO tasks (build_id, name, job, status, attempts, started_at, finished_at,"
                                + " duration_ms, reason, position) VALUES (:build, :name, :job, :status, :attempts,"
                                + " :started, :finished, :duration, :reason, :position)")
                        .bind("build", b.id()).bind("name", t.name()).bind("job", t.job()).bind("status", t.status())
                        .bind("attempts", t.attempts()).bind("started", ts(t.startedAt()))
                        .bind("finished", ts(t.finishedAt())).bind("duration", t.durationMs())
                        .bind("reason", t.reason()).bind("position", position++).execute();
            }
        });
    }

    @Override
    public void saveTask(String buildId, BuildRow.TaskRow t) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE tasks SET job = :job, status = :status, attempts = :attempts,"
                        + " started_at = :started, finished_at = :finished, duration_ms = :duration, reason = :reason"
                        + " WHERE build_id = :build AND name = :name")
                .bind("build", buildId).bind("name", t.name()).bind("job", t.job()).bind("status", t.status())
                .bind("attempts", t.attempts()).bind("started", ts(t.startedAt())).bind("finished", ts(t.finishedAt()))
                .bind("duration", t.durationMs()).bind("reason", t.reason()).execute());
    }

    @Override
    public void saveStep(String buildId, String task, StepRow step) {
        jdbi.useHandle(h -> {
            int updated = h.createUpdate("UPDATE steps SET name = :name, status = :status, started_at = :started,"
                            + " duration_ms = :duration, first_line = :first, exit_code = :exit"
                            + " WHERE build_id = :build AND task = :task AND seq = :seq")
                    .bindMethods(step).bind("build", buildId).bind("task", task).bind("started", ts(step.startedAt()))
                    .bind("duration", step.durationMs()).bind("first", step.firstLine()).bind("exit", step.exitCode())
                    .execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO steps (build_id, task, seq, name, status, started_at, duration_ms,"
                                + " first_line, exit_code)"
                                + " VALUES (:build, :task, :seq, :name, :status, :started, :duration, :first, :exit)")
                        .bindMethods(step).bind("build", buildId).bind("task", task)
                        .bind("started", ts(step.startedAt())).bind("duration", step.durationMs())
                        .bind("first", step.firstLine()).bind("exit", step.exitCode()).execute();
            }
        });
    }

    @Override
    public List<StepRow.OfTask> steps(String buildId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM steps WHERE build_id = :b ORDER BY task, seq")
                .bind("b", buildId).map((rs, ctx) -> new StepRow.OfTask(rs.getString("task"),
                        new StepRow(rs.getInt("seq"), rs.getString("name"), rs.getString("status"),
                                instant(rs.getTimestamp("started_at")), (Long) rs.getObject("duration_ms", Long.class),
                                (Long) rs.getObject("first_line", Long.class),
                                (Integer) rs.getObject("exit_code", Integer.class))))
                .list());
    }

    @Override
    public long nextNumber(String pipeline) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(number), 0) + 1 FROM builds WHERE pipeline = :p")
                .bind("p", pipeline).mapTo(Long.class).one());
    }

    @Override
    public long count(String pipeline, String status) {
        return jdbi.withHandle(h -> filter(h.createQuery("SELECT COUNT(*) FROM builds" + where(pipeline, status)),
                pipeline, status).mapTo(Long.class).one());
    }

    @Override
    public List<BuildRow> unfinished() {
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM builds WHERE finished_at IS NULL ORDER BY number")
                .mapTo(String.class).list().stream().map(id -> load(h, id)).toList());
    }

    @Override
    public Optional<BuildRow> find(String pipeline, long number) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM builds WHERE pipeline = :p AND number = :n")
                .bind("p", pipeline).bind("n", number).map((rs, ctx) -> rs.getString("id")).findOne()
                .map(id -> load(h, id)));
    }

    @Override
    public Optional<BuildRow> previousOnBranch(String pipeline, String branch, long beforeNumber) {
        if (branch == null) {
            return Optional.empty();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM builds WHERE pipeline = :p AND branch = :b"
                        + " AND number < :n AND finished_at IS NOT NULL ORDER BY number DESC LIMIT 1")
                .bind("p", pipeline).bind("b", branch).bind("n", beforeNumber).mapTo(String.class).findOne()
                .map(id -> load(h, id)));
    }

    @Override
    public List<BuildRow> list(String pipeline, String status, int offset, int limit) {
        return jdbi.withHandle(h -> {
            List<BuildRow> builds = filter(h.createQuery("SELECT * FROM builds" + where(pipeline, status)
                            + " ORDER BY started_at DESC, number DESC LIMIT :limit OFFSET :offset"), pipeline, status)
                    .bind("limit", limit).bind("offset", offset)
                    .map((rs, ctx) -> build(rs, List.of())).list();
            if (builds.isEmpty()) {
                return builds;
            }
            Map<String, List<BuildRow.TaskRow>> tasks = new HashMap<>();
            h.createQuery("SELECT * FROM tasks WHERE build_id IN (<ids>) ORDER BY build_id, position")
                    .bindList("ids", builds.stream().map(BuildRow::id).toList())
                    .map((rs, ctx) -> Map.entry(rs.getString("build_id"), task(rs)))
                    .forEach(e -> tasks.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
            return builds.stream().map(b -> b.withTasks(tasks.getOrDefault(b.id(), List.of()))).toList();
        });
    }

    @Override
    public List<Keeping> keeping(String pipeline) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, pipeline, number, started_at, finished_at, pinned,"
                        + " pruned_at FROM builds WHERE pipeline = :p ORDER BY number DESC")
                .bind("p", pipeline).map((rs, ctx) -> keeping(rs)).list());
    }

    @Override
    public Optional<Keeping> keepingOf(String buildId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, pipeline, number, started_at, finished_at, pinned,"
                        + " pruned_at FROM builds WHERE id = :id")
                .bind("id", buildId).map((rs, ctx) -> keeping(rs)).findOne());
    }

    @Override
    public boolean pin(String buildId, boolean pinned) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE builds SET pinned = :pinned WHERE id = :id")
                .bind("id", buildId).bind("pinned", pinned).execute()) > 0;
    }

    @Override
    public void markPruned(String buildId, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE builds SET pruned_at = :at WHERE id = :id")
                .bind("id", buildId).bind("at", ts(at)).execute());
    }

    private static Keeping keeping(ResultSet rs) throws SQLException {
        return new Keeping(rs.getString("id"), rs.getString("pipeline"), rs.getLong("number"),
                instant(rs.getTimestamp("started_at")), rs.getTimestamp("finished_at") != null,
                rs.getBoolean("pinned"), instant(rs.getTimestamp("pruned_at")));
    }

    /** Only the filters given, so the database can use its indexes (an {@code :p IS NULL OR} would stop it). */
    private static String where(String pipeline, String status) {
        List<String> terms = new ArrayList<>();
        if (pipeline != null) {
            terms.add("pipeline = :p");
        }
        if (status != null) {
            terms.add("status = :s");
        }
        return terms.isEmpty() ? "" : " WHERE " + String.join(" AND ", terms);
    }

    private static org.jdbi.v3.core.statement.Query filter(org.jdbi.v3.core.statement.Query q, String pipeline,
                                                           String status) {
        if (pipeline != null) {
            q.bind("p", pipeline);
        }
        if (status != null) {
            q.bind("s", status);
        }
        return q;
    }

    private static BuildRow load(Handle h, String id) {
        List<BuildRow.TaskRow> tasks = h.createQuery("SELECT * FROM tasks WHERE build_id = :id ORDER BY position")
                .bind("id", id).map((rs, ctx) -> task(rs)).list();
        return h.createQuery("SELECT * FROM builds WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> build(rs, tasks)).one();
    }

    private static BuildRow.TaskRow task(ResultSet rs) throws SQLException {
        return new BuildRow.TaskRow(rs.getString("name"), rs.getString("job"), rs.getString("status"),
                rs.getInt("attempts"), instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("finished_at")),
                (Long) rs.getObject("duration_ms", Long.class), rs.getString("reason"));
    }

    private static BuildRow build(ResultSet rs, List<BuildRow.TaskRow> tasks) throws SQLException {
        return new BuildRow(rs.getString("id"), rs.getString("pipeline"), rs.getLong("number"),
                rs.getString("pipeline_file"), rs.getString("pipeline_digest"), rs.getString("commit_sha"),
                rs.getString("branch"), rs.getString("tag"), rs.getString("author"), rs.getString("message"),
                rs.getString("trigger_kind"), rs.getString("status"), instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("finished_at")), tasks);
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
