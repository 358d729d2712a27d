-- Webhook deliveries already acted on for a pipeline, by the id their sender gives each one (GitHub's
-- X-GitHub-Delivery, GitLab's X-Gitlab-Event-UUID or Idempotency-Key), so a replayed or redelivered signed webhook
-- triggers nothing twice, even across a restart. Rows older than the retention are pruned as new deliveries arrive.
CREATE TABLE webhook_deliveries (
    pipeline    VARCHAR(255) NOT NULL,
    provider    VARCHAR(32)  NOT NULL,
    delivery_id VARCHAR(255) NOT NULL,
    received_at TIMESTAMP    NOT NULL,
    PRIMARY KEY (pipeline, provider, delivery_id)
);
CREATE INDEX webhook_deliveries_received ON webhook_deliveries (received_at);
