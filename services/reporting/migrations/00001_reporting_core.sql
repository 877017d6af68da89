-- +goose Up
-- One line per partnership: a read model built from the partnership service's events, never written by a
-- user. It keeps the two parties so that a member or partner sees only its own partnerships' lines.
CREATE TABLE partnership_summaries (
    partnership_id                uuid PRIMARY KEY,
    title                         text NOT NULL,
    -- The lifecycle state as the partnership service names it ("draft", "active", ...).
    state                         text NOT NULL,
    swedish_organization_id       uuid NOT NULL,
    international_organization_id uuid NOT NULL,
    -- The time of the newest event the line reflects.
    as_of_time                    timestamptz NOT NULL
);
CREATE INDEX partnership_summaries_swedish ON partnership_summaries (swedish_organization_id, partnership_id);
CREATE INDEX partnership_summaries_international ON partnership_summaries (international_organization_id, partnership_id);

-- +goose Down
DROP TABLE partnership_summaries;
