-- +goose Up
-- Sida's grant to the programme per calendar year (issue 13): what budget approvals of the year draw on. A
-- year without a row has no envelope.
CREATE TABLE grants (
    year         int PRIMARY KEY CHECK (year BETWEEN 2000 AND 2200),
    -- The audit log names a grant by this id.
    id           uuid NOT NULL UNIQUE,
    amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
    version      bigint NOT NULL DEFAULT 1,
    create_time  timestamptz NOT NULL,
    update_time  timestamptz NOT NULL,
    creator      text NOT NULL,
    updater      text NOT NULL
);

-- +goose Down
DROP TABLE grants;
