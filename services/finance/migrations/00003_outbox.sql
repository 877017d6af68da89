-- +goose Up
-- Events of every change, written in the change's own transaction and served in order (platform/outbox).
CREATE TABLE outbox (
    seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id             uuid NOT NULL UNIQUE,
    type           text NOT NULL,
    schema_version int NOT NULL,
    time           timestamptz NOT NULL,
    actor          text NOT NULL,
    request_id     text NOT NULL,
    payload        bytea NOT NULL
);

-- When a claim was submitted: reports count how long claims wait for a decision.
ALTER TABLE claims ADD COLUMN submit_time timestamptz;

-- A receipt is reimbursed once: claims look up its hash.
CREATE INDEX claim_lines_receipt ON claim_lines (receipt_sha256);

-- +goose Down
DROP INDEX claim_lines_receipt;
ALTER TABLE claims DROP COLUMN submit_time;
DROP TABLE outbox;
