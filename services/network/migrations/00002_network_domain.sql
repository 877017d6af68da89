-- +goose Up
-- The network domain (issue 4): cohort, status, people, memberships with their history, activities.
ALTER TABLE networks
    ADD COLUMN cluster               text NOT NULL DEFAULT '',
    ADD COLUMN cohort_start          date,
    ADD COLUMN duration_months       integer NOT NULL DEFAULT 48,
    ADD COLUMN status                text NOT NULL DEFAULT 'planned',
    ADD COLUMN coordinator           text NOT NULL DEFAULT '',
    ADD COLUMN research_advisor      text NOT NULL DEFAULT '',
    ADD COLUMN experts               jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN communication_contact text NOT NULL DEFAULT '',
    ADD COLUMN version               bigint NOT NULL DEFAULT 1,
    ADD COLUMN updater               text NOT NULL DEFAULT '';

-- A removal is recorded on the membership, never deleted, so the network keeps its history.
ALTER TABLE network_memberships
    ADD COLUMN joined         date NOT NULL DEFAULT CURRENT_DATE,
    ADD COLUMN removed        date,
    ADD COLUMN removal_reason text NOT NULL DEFAULT '',
    ADD COLUMN create_time    timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN creator        text NOT NULL DEFAULT '';
CREATE INDEX network_memberships_partnership ON network_memberships (partnership_id) WHERE removed IS NULL;

CREATE TABLE activities (
    id             uuid PRIMARY KEY,
    network_id     uuid NOT NULL REFERENCES networks (id),
    kind           text NOT NULL,
    title          text NOT NULL,
    start_date     date NOT NULL,
    end_date       date NOT NULL,
    host           text NOT NULL DEFAULT '',
    -- the participating partnerships with their numbers of participants, as JSON
    participations jsonb NOT NULL DEFAULT '[]',
    outcomes       text NOT NULL DEFAULT '',
    links          text[] NOT NULL DEFAULT '{}',
    create_time    timestamptz NOT NULL,
    creator        text NOT NULL
);
CREATE INDEX activities_network ON activities (network_id, start_date);

-- +goose Down
DROP TABLE activities;
DROP INDEX network_memberships_partnership;
ALTER TABLE network_memberships DROP COLUMN joined, DROP COLUMN removed, DROP COLUMN removal_reason,
    DROP COLUMN create_time, DROP COLUMN creator;
ALTER TABLE networks DROP COLUMN cluster, DROP COLUMN cohort_start, DROP COLUMN duration_months, DROP COLUMN status,
    DROP COLUMN coordinator, DROP COLUMN research_advisor, DROP COLUMN experts, DROP COLUMN communication_contact,
    DROP COLUMN version, DROP COLUMN updater;
