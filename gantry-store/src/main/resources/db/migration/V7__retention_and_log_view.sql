-- Retention: a build may be pinned (kept whatever the limits say), and a build whose logs, artifacts and telemetry
-- were removed says when; its record, steps and tests stay. A pipeline keeps the retention its last build declared.
ALTER TABLE builds ADD COLUMN pinned BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE builds ADD COLUMN pruned_at TIMESTAMP;
ALTER TABLE pipelines ADD COLUMN keep_builds INT;
ALTER TABLE pipelines ADD COLUMN keep_days INT;

-- The log view: when each line was printed (per chunk, the lines' times as millisecond deltas; null when unknown, as
-- for lines recovered from a crashed build's log file), and where each step's output starts in its task's log and
-- the exit code it ended with.
ALTER TABLE log_chunks ADD COLUMN times TEXT;
ALTER TABLE steps ADD COLUMN first_line BIGINT;
ALTER TABLE steps ADD COLUMN exit_code INT;
