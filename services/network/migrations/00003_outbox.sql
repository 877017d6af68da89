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

-- +goose Down
DROP TABLE outbox;
