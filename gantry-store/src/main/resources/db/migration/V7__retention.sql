-- Retention: a build may be pinned (kept whatever the limits say), and a build whose logs, artifacts and telemetry
-- were removed says when; its record, steps and tests stay. A pipeline keeps the retention its last build declared.
ALTER TABLE builds ADD COLUMN pinned BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE builds ADD COLUMN pruned_at TIMESTAMP;
ALTER TABLE pipelines ADD COLUMN keep_builds INT;
ALTER TABLE pipelines ADD COLUMN keep_days INT;
