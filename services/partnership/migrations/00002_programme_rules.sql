-- +goose Up
-- Programme rules as versioned data (issue 3). The defaults are loaded by `partnership migrate` from the Go
-- values in internal/programme when these tables are empty; an admin changes them through the API.

-- One row per period in which a country is a cooperation country. Overlaps between periods of one country
-- are refused by the service under a table lock.
CREATE TABLE country_eligibility (
    id           uuid PRIMARY KEY,
    country_code text NOT NULL,
    cluster      text NOT NULL,
    valid_from   date NOT NULL,
    valid_to     date,
    version      bigint NOT NULL DEFAULT 1,
    create_time  timestamptz NOT NULL,
    update_time  timestamptz NOT NULL,
    creator      text NOT NULL,
    updater      text NOT NULL,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX country_eligibility_code ON country_eligibility (country_code, valid_from);

-- One row per version of the programme's numbers; the numbers themselves are a JSON document of
-- programme.RuleSet, since they are read and written as a whole.
CREATE TABLE programme_rules (
    id          uuid PRIMARY KEY,
    valid_from  date NOT NULL,
    valid_to    date,
    rules       jsonb NOT NULL,
    create_time timestamptz NOT NULL,
    creator     text NOT NULL,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);

CREATE TABLE application_windows (
    id          uuid PRIMARY KEY,
    kind        text NOT NULL,
    opens       date NOT NULL,
    closes      date NOT NULL,
    create_time timestamptz NOT NULL,
    creator     text NOT NULL,
    CHECK (closes >= opens)
);
CREATE INDEX application_windows_kind ON application_windows (kind, opens);

ALTER TABLE partnerships
    ADD COLUMN third_organization_id uuid REFERENCES organizations (id),
    ADD COLUMN eligibility_date date NOT NULL DEFAULT CURRENT_DATE;

CREATE TABLE applications (
    id             uuid PRIMARY KEY,
    partnership_id uuid NOT NULL REFERENCES partnerships (id),
    kind           text NOT NULL,
    status         text NOT NULL,
    start_date     date NOT NULL,
    end_date       date NOT NULL,
    waiver_reason  text NOT NULL DEFAULT '',
    version        bigint NOT NULL DEFAULT 1,
    create_time    timestamptz NOT NULL,
    update_time    timestamptz NOT NULL,
    creator        text NOT NULL,
    updater        text NOT NULL
);
CREATE INDEX applications_partnership ON applications (partnership_id, id);

-- People in steering groups (application_id NULL) and in application teams. Name and e-mail are personal
-- data: an erasure blanks them and sets erased, keeping organisation and role for the rules and reports.
CREATE TABLE members (
    id              uuid PRIMARY KEY,
    partnership_id  uuid NOT NULL REFERENCES partnerships (id),
    application_id  uuid REFERENCES applications (id),
    organization_id uuid NOT NULL REFERENCES organizations (id),
    display_name    text NOT NULL,
    email           text NOT NULL DEFAULT '',
    role            text NOT NULL,
    coordinator     boolean NOT NULL DEFAULT false,
    project_manager boolean NOT NULL DEFAULT false,
    erased          boolean NOT NULL DEFAULT false,
    create_time     timestamptz NOT NULL,
    creator         text NOT NULL
);
CREATE INDEX members_partnership ON members (partnership_id, application_id, id);
CREATE INDEX members_email ON members (lower(email)) WHERE email <> '';

CREATE TABLE visits (
    id                   uuid PRIMARY KEY,
    partnership_id       uuid NOT NULL REFERENCES partnerships (id),
    start_date           date NOT NULL,
    end_date             date NOT NULL,
    host_organization_id uuid NOT NULL REFERENCES organizations (id),
    -- {"<organisation id>": travellers, ...}
    travellers           jsonb NOT NULL,
    purpose              text NOT NULL,
    outcomes             text NOT NULL DEFAULT '',
    create_time          timestamptz NOT NULL,
    creator              text NOT NULL
);
CREATE INDEX visits_partnership ON visits (partnership_id, start_date);

-- +goose Down
DROP TABLE visits;
DROP TABLE members;
DROP TABLE applications;
ALTER TABLE partnerships DROP COLUMN eligibility_date, DROP COLUMN third_organization_id;
DROP TABLE application_windows;
DROP TABLE programme_rules;
DROP TABLE country_eligibility;
