package dev.gantry.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gantry.core.deploy.ReleaseHistory;
import dev.gantry.core.notify.DeliveryLog;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The database: embedded H2 in a file by default, PostgreSQL with a JDBC URL. Opening it applies the schema
 * migrations, so an old database is brought up to date and a new one created.
 */
public final class Store implements AutoCloseable {

    private final HikariDataSource pool;
    private final BuildRepository builds;
    private final LogRepository logs;
    private final PipelineRepository pipelines;
    private final ResultRepository results;
    private final BatchRepository batches;
    private final SecretRepository secrets;
    private final ReleaseHistory releases;
    private final DeliveryLog deliveries;

    private Store(HikariDataSource pool) {
        this.pool = pool;
        Flyway.configure().dataSource(pool).locations("classpath:db/migration").loggers("slf4j").load().migrate();
        Jdbi jdbi = Jdbi.create(pool);
        this.builds = new JdbiBuildRepository(jdbi);
        this.logs = new JdbiLogRepository(jdbi);
        this.pipelines = new JdbiPipelineRepository(jdbi);
        this.results = new JdbiResultRepository(jdbi);
        this.batches = new JdbiBatchRepository(jdbi);
        this.secrets = new JdbiSecretRepository(jdbi);
        this.releases = new JdbiReleaseRepository(jdbi);
        this.deliveries = new JdbiDeliveryRepository(jdbi);
    }

    /** An embedded H2 database in {@code dir} (e.g. {@code .gantry/db}). */
    public static Store embedded(Path dir) {
        // WRITE_DELAY=0: a commit reaches the file at once, so a killed process loses nothing it committed.
        return open("jdbc:h2:file:" + dir.toAbsolutePath().resolve("gantry") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0", null,
                null);
    }

    /** Any database with a JDBC URL: {@code jdbc:postgresql://host:5432/gantry}, or an H2 URL. */
    public static Store open(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(16);
        config.setPoolName("gantry-store");
        HikariDataSource pool = new HikariDataSource(config);
        try {
            return new Store(pool);
        } catch (RuntimeException e) {
            pool.close(); // a migration that failed must not leave the pool's connections open
            throw e;
        }
    }

    /**
     * The connection pool now: connections in use, idle, and callers waiting for one, and its size limit. For the
     * server's metrics.
     */
    public record PoolStats(int active, int idle, int waiting, int max) {
    }

    public PoolStats poolStats() {
        var bean = pool.getHikariPoolMXBean();
        return bean == null ? new PoolStats(0, 0, 0, pool.getMaximumPoolSize())
                : new PoolStats(bean.getActiveConnections(), bean.getIdleConnections(),
                bean.getThreadsAwaitingConnection(), pool.getMaximumPoolSize());
    }

    public BuildRepository builds() {
        return builds;
    }

    public PipelineRepository pipelines() {
        return pipelines;
    }

    public ResultRepository results() {
        return results;
    }

    /** Each build's batch steps: their progress while they run, their figures once they end. */
    public BatchRepository batches() {
        return batches;
    }

    public LogRepository logs() {
        return logs;
    }

    /** Secrets, sealed: open them through a {@link SecretVault} with the server's key. */
    public SecretRepository secrets() {
        return secrets;
    }

    /** Every environment's releases, kept forever. */
    public ReleaseHistory releases() {
        return releases;
    }

    /** Every attempt to deliver a notification. */
    public DeliveryLog deliveries() {
        return deliveries;
    }

    @Override
    public void close() {
        pool.close();
    }
}
