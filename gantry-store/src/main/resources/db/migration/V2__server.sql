-- What the server adds: registered pipelines and the refs they have seen, who and what a build was for, steps,
-- test results, artifacts, cache saves and restores, and telemetry samples. Portable SQL: runs on H2 and PostgreSQL.
CREATE TABLE pipelines (
    name           VARCHAR(255)  PRIMARY KEY,
    repository     VARCHAR(2048) NOT NULL,
    file           VARCHAR(1024) NOT NULL,
    branch         VARCHAR(255)  NOT NULL,
    check_every_ms BIGINT        NOT NULL,
    webhook_secret VARCHAR(255),
    added_at       TIMESTAMP     NOT NULL
);

CREATE TABLE pipeline_refs (
    pipeline   VARCHAR(255) NOT NULL REFERENCES pipelines (name) ON DELETE CASCADE,
    ref        VARCHAR(512) NOT NULL,
    commit_sha VARCHAR(64)  NOT NULL,
    PRIMARY KEY (pipeline, ref)
);

ALTER TABLE builds ADD COLUMN author VARCHAR(512);
ALTER TABLE builds ADD COLUMN message VARCHAR(4000);

CREATE TABLE steps (
    build_id    VARCHAR(64)  NOT NULL REFERENCES builds (id) ON DELETE CASCADE,
    task        VARCHAR(512) NOT NULL,
    seq         INT          NOT NULL,
    name        VARCHAR(512) NOT NULL,
    status      VARCHAR(32)  NOT NULL,
    started_at  TIMESTAMP    NOT NULL,
    duration_ms BIGINT,
    PRIMARY KEY (build_id, task, seq)
);

CREATE TABLE test_results (
    build_id   VARCHAR(64)   NOT NULL REFERENCES builds (id) ON DELETE CASCADE,
    task       VARCHAR(512)  NOT NULL,
    suite      VARCHAR(1024),
    class_name VARCHAR(1024),
    name       VARCHAR(2048) NOT NULL,
    status     VARCHAR(16)   NOT NULL,
    seconds    DOUBLE PRECISION NOT NULL,
    message    VARCHAR(4000)
);
CREATE INDEX test_results_build ON test_results (build_id);

CREATE TABLE artifacts (
    build_id VARCHAR(64)   NOT NULL REFERENCES builds (id) ON DELETE CASCADE,
    task     VARCHAR(512)  NOT NULL,
    name     VARCHAR(512)  NOT NULL,
    path     VARCHAR(2048) NOT NULL,
    bytes    BIGINT        NOT NULL,
    PRIMARY KEY (build_id, task, name, path)
);

CREATE TABLE cache_uses (
    build_id  VARCHAR(64)   NOT NULL REFERENCES builds (id) ON DELETE CASCADE,
    task      VARCHAR(512)  NOT NULL,
    action    VARCHAR(16)   NOT NULL,
    cache_key VARCHAR(2048) NOT NULL,
    bytes     BIGINT,
    took_ms   BIGINT        NOT NULL,
    at        TIMESTAMP     NOT NULL
);
CREATE INDEX cache_uses_build ON cache_uses (build_id);

CREATE TABLE telemetry (
    build_id    VARCHAR(64)  NOT NULL REFERENCES builds (id) ON DELETE CASCADE,
    task        VARCHAR(512) NOT NULL,
    scope       VARCHAR(512) NOT NULL,
    at          TIMESTAMP    NOT NULL,
    cpu_percent DOUBLE PRECISION NOT NULL,
    rss_bytes   BIGINT       NOT NULL,
    gpu_percent INT,
    gpu_bytes   BIGINT
);
CREATE INDEX telemetry_build ON telemetry (build_id, task);
CREATE INDEX builds_status ON builds (status);
CREATE INDEX builds_pipeline_started ON builds (pipeline, started_at);

-- Each chunk knows which lines it holds, so a log is read from any line without reading what comes before.
ALTER TABLE log_chunks ADD COLUMN first_line BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE log_chunks ADD COLUMN line_count INT DEFAULT 0 NOT NULL;
