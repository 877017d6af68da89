-- +goose Up
-- A partnership's reports (issue 13): partial (one accounting year) and final, per application. What the
-- partnership writes is a JSON document of programme.ReportBody, read and written as a whole.
CREATE TABLE reports (
    id             uuid PRIMARY KEY,
    partnership_id uuid NOT NULL REFERENCES partnerships (id),
    application_id uuid NOT NULL REFERENCES applications (id),
    kind           text NOT NULL,
    year           integer NOT NULL,
    status         text NOT NULL,
    body           jsonb NOT NULL DEFAULT '{}',
    return_reasons jsonb NOT NULL DEFAULT '[]',
    submitter      text NOT NULL DEFAULT '',
    submit_time    timestamptz,
    approver       text NOT NULL DEFAULT '',
    approve_time   timestamptz,
    version        bigint NOT NULL DEFAULT 1,
    create_time    timestamptz NOT NULL,
    update_time    timestamptz NOT NULL,
    creator        text NOT NULL,
    updater        text NOT NULL,
    UNIQUE (application_id, kind, year)
);
CREATE INDEX reports_partnership ON reports (partnership_id, id);

-- +goose Down
DROP TABLE reports;
