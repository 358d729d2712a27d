-- Builds, their tasks, and task logs in chunks. Portable SQL: runs on H2 and PostgreSQL.
CREATE TABLE builds (
    id              VARCHAR(64)   PRIMARY KEY,
    pipeline        VARCHAR(255)  NOT NULL,
    number          BIGINT        NOT NULL,
    pipeline_file   VARCHAR(1024) NOT NULL,
    pipeline_digest VARCHAR(64)   NOT NULL,
    commit_sha      VARCHAR(64),
    branch          VARCHAR(255),
    tag             VARCHAR(255),
    trigger_kind    VARCHAR(32)   NOT NULL,
    status          VARCHAR(32)   NOT NULL,
    started_at      TIMESTAMP     NOT NULL,
    finished_at     TIMESTAMP,
    CONSTRAINT builds_pipeline_number UNIQUE (pipeline, number)
);

CREATE TABLE tasks (
    build_id    VARCHAR(64)  NOT NULL REFERENCES builds (id) ON DELETE CASCADE,
    name        VARCHAR(512) NOT NULL,
    job         VARCHAR(255) NOT NULL,
    status      VARCHAR(32)  NOT NULL,
    attempts    INT          NOT NULL,
    started_at  TIMESTAMP,
    finished_at TIMESTAMP,
    duration_ms BIGINT,
    reason      VARCHAR(4000),
    position    INT          NOT NULL,
    PRIMARY KEY (build_id, name)
);

CREATE TABLE log_chunks (
    build_id VARCHAR(64)  NOT NULL REFERENCES builds (id) ON DELETE CASCADE,
    task     VARCHAR(512) NOT NULL,
    seq      INT          NOT NULL,
    content  TEXT         NOT NULL,
    PRIMARY KEY (build_id, task, seq)
);

CREATE INDEX builds_started ON builds (started_at);
