-- Each batch step of a build, as its last progress event or its end left it: one row per (build, task, step),
-- replaced as the batch goes on. Latencies are of the successful requests; histogram is a JSON array of the
-- non-empty buckets, [upper bound in ms (null for the last, unbounded one), count], written when the batch ends.
-- state is running, finished (every item ended in results or errors) or stopped (failure says why).
-- Portable SQL: runs on H2 and PostgreSQL.
CREATE TABLE batches (
    build_id    VARCHAR(64)   NOT NULL REFERENCES builds (id) ON DELETE CASCADE,
    task        VARCHAR(512)  NOT NULL,
    step        VARCHAR(512)  NOT NULL,
    state       VARCHAR(16)   NOT NULL,
    total       BIGINT        NOT NULL,
    done        BIGINT        NOT NULL,
    succeeded   BIGINT        NOT NULL,
    failed      BIGINT        NOT NULL,
    skipped     BIGINT        NOT NULL,
    retries     BIGINT        NOT NULL,
    elapsed_ms  BIGINT        NOT NULL,
    per_second  DOUBLE PRECISION NOT NULL,
    eta_ms      BIGINT,
    p50_ms      DOUBLE PRECISION,
    p95_ms      DOUBLE PRECISION,
    p99_ms      DOUBLE PRECISION,
    histogram   TEXT,
    failure     VARCHAR(4000),
    output      VARCHAR(2048),
    updated_at  TIMESTAMP     NOT NULL,
    PRIMARY KEY (build_id, task, step)
);
