-- +goose Up
-- The tables every service's platform packages write: events (platform/outbox), the audit log
-- (platform/record, read by platform/audit) and idempotency keys (platform/idempotency). They were once
-- defined in each service's own migrations; IF NOT EXISTS lets a database made then take this migration as
-- it is, and the statements after each table bring such a database to the same definition.

CREATE TABLE IF NOT EXISTS outbox (
    seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id             uuid NOT NULL UNIQUE,
    type           text NOT NULL,
    schema_version int NOT NULL,
    time           timestamptz NOT NULL,
    actor          text NOT NULL,
    request_id     text NOT NULL,
    payload        bytea NOT NULL
);

CREATE TABLE IF NOT EXISTS audit_log (
    seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    time          timestamptz NOT NULL,
    actor         text NOT NULL,
    actor_role    text NOT NULL,
    request_id    text NOT NULL,
    action        text NOT NULL,
    resource_kind text NOT NULL,
    resource_id   uuid NOT NULL,
    detail        text NOT NULL DEFAULT ''
);
ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS detail text NOT NULL DEFAULT '';

CREATE TABLE IF NOT EXISTS idempotency_keys (
    scope        text NOT NULL,
    key          text NOT NULL,
    request_hash bytea NOT NULL,
    response     bytea,
    create_time  timestamptz NOT NULL,
    PRIMARY KEY (scope, key)
);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE audit_log;
DROP TABLE outbox;
