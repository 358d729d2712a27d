-- Secrets, encrypted at rest: each value is AES-GCM sealed (a random nonce, then the ciphertext and its tag, in
-- base64) with the server's key, which is never stored here. pipeline is '' for a global secret; a pipeline's own
-- secret shadows a global one of the same name. Portable SQL: runs on H2 and PostgreSQL.
CREATE TABLE secrets (
    pipeline   VARCHAR(255)  NOT NULL,
    name       VARCHAR(128)  NOT NULL,
    sealed     VARCHAR(8192) NOT NULL,
    updated_at TIMESTAMP     NOT NULL,
    PRIMARY KEY (pipeline, name)
);
