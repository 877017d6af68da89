-- +goose Up
-- People who use the system (issue 14): whom a token's subject is, where their notifications go and in which
-- language. Name and e-mail are personal data, erased with the person (POST /v1/people:erase).
CREATE TABLE people (
    id               uuid PRIMARY KEY,
    subject          text NOT NULL UNIQUE,
    display_name     text NOT NULL,
    email            text NOT NULL,
    language         text NOT NULL CHECK (language IN ('sv', 'en')),
    role             text NOT NULL,
    organization_ids uuid[] NOT NULL DEFAULT '{}',
    no_reminders     boolean NOT NULL DEFAULT false,
    no_requests      boolean NOT NULL DEFAULT false,
    no_weekly_digest boolean NOT NULL DEFAULT false,
    -- The days before a deadline this person is reminded on, instead of the programme's; empty follows it.
    reminder_days    int[] NOT NULL DEFAULT '{}',
    erased           boolean NOT NULL DEFAULT false,
    version          bigint NOT NULL DEFAULT 1,
    create_time      timestamptz NOT NULL,
    update_time      timestamptz NOT NULL,
    creator          text NOT NULL,
    updater          text NOT NULL
);
CREATE INDEX people_email ON people (lower(email)) WHERE email <> '';
CREATE INDEX people_organizations ON people USING gin (organization_ids);

-- +goose Down
DROP TABLE people;
