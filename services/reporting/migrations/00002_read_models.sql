-- +goose Up
-- The read models, built only from the producers' events (internal/consume). Every row keeps the time of the
-- newest event it reflects. Ids are the producers' ids; the tables hold no foreign keys between them, because
-- events of different producers arrive in no fixed order.

-- partnership_summaries becomes the whole partnership as its events carry it.
ALTER TABLE partnership_summaries
    ADD COLUMN third_organization_id uuid,
    ADD COLUMN challenge             text NOT NULL DEFAULT '',
    ADD COLUMN country_code          text NOT NULL DEFAULT '',
    ADD COLUMN cluster               text NOT NULL DEFAULT '',
    ADD COLUMN core_areas            text[] NOT NULL DEFAULT '{}',
    ADD COLUMN sdg_targets           text[] NOT NULL DEFAULT '{}',
    ADD COLUMN create_time           timestamptz;

CREATE TABLE organizations (
    id           uuid PRIMARY KEY,
    display_name text NOT NULL,
    kind         text NOT NULL,
    org_number   text NOT NULL,
    country_code text NOT NULL,
    as_of_time   timestamptz NOT NULL
);

CREATE TABLE applications (
    id             uuid PRIMARY KEY,
    partnership_id uuid NOT NULL,
    kind           text NOT NULL,
    status         text NOT NULL,
    start_date     date,
    end_date       date,
    as_of_time     timestamptz NOT NULL
);
CREATE INDEX applications_partnership ON applications (partnership_id);
CREATE INDEX applications_period ON applications (start_date, end_date);

CREATE TABLE compliance (
    partnership_id          uuid NOT NULL,
    year                    int NOT NULL,
    meetings                int NOT NULL,
    visits                  int NOT NULL,
    compliant               boolean NOT NULL,
    steering_group_balanced boolean NOT NULL,
    as_of_time              timestamptz NOT NULL,
    PRIMARY KEY (partnership_id, year)
);

CREATE TABLE networks (
    id           uuid PRIMARY KEY,
    display_name text NOT NULL,
    theme        text NOT NULL,
    cluster      text NOT NULL,
    status       text NOT NULL,
    cohort_start date,
    end_date     date,
    as_of_time   timestamptz NOT NULL
);

CREATE TABLE network_members (
    network_id     uuid NOT NULL,
    partnership_id uuid NOT NULL,
    PRIMARY KEY (network_id, partnership_id)
);
CREATE INDEX network_members_partnership ON network_members (partnership_id);

CREATE TABLE budgets (
    id                uuid PRIMARY KEY,
    partnership_id    uuid NOT NULL,
    application_id    uuid NOT NULL,
    state             text NOT NULL,
    approved_revision int NOT NULL,
    approved_minor    bigint NOT NULL,
    approve_time      timestamptz,
    as_of_time        timestamptz NOT NULL
);
CREATE INDEX budgets_partnership ON budgets (partnership_id);

CREATE TABLE budget_lines (
    budget_id    uuid NOT NULL,
    line_id      text NOT NULL,
    category     text NOT NULL,
    year         int NOT NULL,
    amount_minor bigint NOT NULL,
    PRIMARY KEY (budget_id, line_id)
);

CREATE TABLE claims (
    id             uuid PRIMARY KEY,
    budget_id      uuid NOT NULL,
    partnership_id uuid NOT NULL,
    state          text NOT NULL,
    submit_time    timestamptz,
    pay_date       date,
    as_of_time     timestamptz NOT NULL
);
CREATE INDEX claims_partnership ON claims (partnership_id);
CREATE INDEX claims_budget ON claims (budget_id);

CREATE TABLE claim_lines (
    claim_id       uuid NOT NULL,
    position       int NOT NULL,
    budget_line_id text NOT NULL,
    year           int NOT NULL,
    sek_minor      bigint NOT NULL,
    -- NULL until decided.
    approved_minor bigint,
    PRIMARY KEY (claim_id, position)
);

CREATE TABLE in_kind (
    id             uuid PRIMARY KEY,
    budget_id      uuid NOT NULL,
    partnership_id uuid NOT NULL,
    work_date      date NOT NULL,
    hours          int NOT NULL,
    value_minor    bigint NOT NULL,
    as_of_time     timestamptz NOT NULL
);
CREATE INDEX in_kind_partnership ON in_kind (partnership_id);

-- How far the consumer has read each producer's stream; written in the same transaction as the events'
-- effects, so a crash loses and doubles nothing.
CREATE TABLE consumer_cursors (
    producer   text PRIMARY KEY,
    seq        bigint NOT NULL,
    event_time timestamptz
);

-- Events set aside because they were malformed or of a version this consumer does not know; kept whole for
-- inspection and replay.
CREATE TABLE parked_events (
    producer       text NOT NULL,
    seq            bigint NOT NULL,
    id             text NOT NULL,
    type           text NOT NULL,
    schema_version int NOT NULL,
    reason         text NOT NULL,
    payload        bytea NOT NULL,
    event_time     timestamptz,
    parked_time    timestamptz NOT NULL,
    PRIMARY KEY (producer, seq)
);

-- +goose Down
DROP TABLE parked_events;
DROP TABLE consumer_cursors;
DROP TABLE in_kind;
DROP TABLE claim_lines;
DROP TABLE claims;
DROP TABLE budget_lines;
DROP TABLE budgets;
DROP TABLE network_members;
DROP TABLE networks;
DROP TABLE compliance;
DROP TABLE applications;
DROP TABLE organizations;
ALTER TABLE partnership_summaries DROP COLUMN third_organization_id, DROP COLUMN challenge, DROP COLUMN country_code,
    DROP COLUMN cluster, DROP COLUMN core_areas, DROP COLUMN sdg_targets, DROP COLUMN create_time;
