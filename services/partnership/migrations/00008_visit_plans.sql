-- +goose Up
-- Visits are planned, then held or cancelled (issue 14); only held visits count for compliance. Every visit
-- recorded before was recorded after the fact: held.
ALTER TABLE visits ADD COLUMN state text NOT NULL DEFAULT 'held' CHECK (state IN ('planned', 'held', 'cancelled')),
    ADD COLUMN cancel_reason text NOT NULL DEFAULT '',
    ADD COLUMN version bigint NOT NULL DEFAULT 1,
    ADD COLUMN update_time timestamptz,
    ADD COLUMN updater text NOT NULL DEFAULT '';
UPDATE visits SET update_time = create_time, updater = creator;
ALTER TABLE visits ALTER COLUMN update_time SET NOT NULL, ALTER COLUMN state DROP DEFAULT;

-- +goose Down
ALTER TABLE visits DROP COLUMN updater, DROP COLUMN update_time, DROP COLUMN version, DROP COLUMN cancel_reason,
    DROP COLUMN state;
