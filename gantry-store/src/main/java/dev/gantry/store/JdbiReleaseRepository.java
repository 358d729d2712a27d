package dev.gantry.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.core.deploy.Release;
import dev.gantry.core.deploy.ReleaseHistory;
import dev.gantry.core.deploy.ReleaseStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementException;

/**
 * {@link ReleaseHistory} in plain SQL that H2 and PostgreSQL both run. A new release takes the environment's
 * highest number plus one; when another writer (a thread, or another process on the same database) took that
 * number first, the primary key refuses the row and the insert is tried again with the next number.
 */
final class JdbiReleaseRepository implements ReleaseHistory {

    /** Far more than concurrent deploys of one environment ever race (they queue); a bound, not an expectation. */
    private static final int MAX_TRIES = 200;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> DIGESTS = new TypeReference<>() {
    };

    private final Jdbi jdbi;

    JdbiReleaseRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Release create(Release draft) {
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbi.inTransaction(h -> {
                    int number = h.createQuery("SELECT COALESCE(MAX(number), 0) + 1 FROM releases"
                                    + " WHERE pipeline = :p AND environment = :e")
                            .bind("p", draft.pipeline()).bind("e", draft.environment()).mapTo(Integer.class).one();
                    Release release = numbered(draft, number);
                    h.createUpdate("INSERT INTO releases (pipeline, environment, number, build_number, commit_sha,"
                                    + " branch, tag, trigger_kind, files, volumes, port, status, created_at, live_at,"
                                    + " ended_at, reason) VALUES (:p, :e, :n, :build, :commit, :branch, :tag,"
                                    + " :trigger, :files, :volumes, :port, :status, :created, :live, :ended, :reason)")
                            .bind("p", release.pipeline()).bind("e", release.environment()).bind("n", number)
                            .bind("build", release.build()).bind("commit", release.commit())
                            .bind("branch", release.branch()).bind("tag", release.tag())
                            .bind("trigger", release.trigger()).bind("files", json(release.files()))
                            .bind("volumes", json(release.volumes())).bind("port", release.port())
                            .bind("status", release.status().wireName()).bind("created", ts(release.createdAt()))
                            .bind("live", ts(release.liveAt())).bind("ended", ts(release.endedAt()))
                            .bind("reason", clip(release.reason())).execute();
                    return release;
                });
            } catch (StatementException e) {
                if (!SqlErrors.isUniqueViolation(e) || attempt >= MAX_TRIES) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    @Override
    public void update(Release r) {
        int updated = jdbi.withHandle(h -> h.createUpdate("UPDATE releases SET status = :status, live_at = :live,"
                        + " ended_at = :ended, reason = :reason, port = :port"
                        + " WHERE pipeline = :p AND environment = :e AND number = :n")
                .bind("p", r.pipeline()).bind("e", r.environment()).bind("n", r.number())
                .bind("status", r.status().wireName()).bind("live", ts(r.liveAt())).bind("ended", ts(r.endedAt()))
                .bind("reason", clip(r.reason())).bind("port", r.port()).execute());
        if (updated == 0) {
            throw new IllegalArgumentException("No release " + r.number() + " of " + r.pipeline() + "'s environment "
                    + r.environment() + " to update: create() it first");
        }
    }

    @Override
    public Optional<Release> find(String pipeline, String environment, int number) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM releases"
                        + " WHERE pipeline = :p AND environment = :e AND number = :n")
                .bind("p", pipeline).bind("e", environment).bind("n", number)
                .map((rs, ctx) -> release(rs)).findOne());
    }

    @Override
    public List<Release> list(String pipeline, String environment) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM releases WHERE pipeline = :p AND environment = :e"
                        + " ORDER BY number DESC")
                .bind("p", pipeline).bind("e", environment).map((rs, ctx) -> release(rs)).list());
    }

    @Override
    public List<EnvironmentKey> environments() {
        return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT pipeline, environment FROM releases"
                        + " ORDER BY pipeline, environment")
                .map((rs, ctx) -> new EnvironmentKey(rs.getString("pipeline"), rs.getString("environment"))).list());
    }

    private static Release numbered(Release d, int number) {
        return new Release(d.pipeline(), d.environment(), number, d.build(), d.commit(), d.branch(), d.tag(),
                d.trigger(), d.files(), d.volumes(), d.port(), d.status(), d.createdAt(), d.liveAt(), d.endedAt(),
                d.reason());
    }

    /** A short random pause, longer as tries fail, so racing writers stop colliding in lockstep. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 2 + Math.min(attempt, 20)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while numbering a release", e);
        }
    }

    private static Release release(ResultSet rs) throws SQLException {
        return new Release(rs.getString("pipeline"), rs.getString("environment"), rs.getInt("number"),
                rs.getLong("build_number"), rs.getString("commit_sha"), rs.getString("branch"), rs.getString("tag"),
                rs.getString("trigger_kind"), digests(rs.getString("files")), digests(rs.getString("volumes")),
                rs.getInt("port"), status(rs.getString("status")), instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("live_at")), instant(rs.getTimestamp("ended_at")), rs.getString("reason"));
    }

    private static ReleaseStatus status(String wireName) {
        return ReleaseStatus.valueOf(wireName.toUpperCase(Locale.ROOT));
    }

    private static String json(Map<String, String> digests) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(digests));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a release's digests as JSON", e);
        }
    }

    private static Map<String, String> digests(String json) throws SQLException {
        try {
            return JSON.readValue(json, DIGESTS);
        } catch (JsonProcessingException e) {
            throw new SQLException("A stored release's digests are not a JSON object of strings", e);
        }
    }

    private static String clip(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 3999) + "…";
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
