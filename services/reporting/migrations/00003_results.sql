-- +goose Up
-- Results (issue 13): each application's results framework, as ApplicationChanged.results carries it
-- (encoded events.v1.ResultState messages, read whole), the partnerships' reports with the values their
-- indicators reached, and their documents' records (the IATI export links the public ones).
ALTER TABLE applications ADD COLUMN framework bytea NOT NULL DEFAULT '';

CREATE TABLE reports (
    id             uuid PRIMARY KEY,
    partnership_id uuid NOT NULL,
    application_id uuid NOT NULL,
    kind           text NOT NULL,
    year           int NOT NULL,
    status         text NOT NULL,
    report_values  bytea NOT NULL,
    as_of_time     timestamptz NOT NULL
);
CREATE INDEX reports_application ON reports (application_id);

CREATE TABLE documents (
    id             uuid PRIMARY KEY,
    partnership_id uuid NOT NULL,
    report_id      uuid,
    kind           text NOT NULL,
    file_name      text NOT NULL,
    content_type   text NOT NULL,
    public         boolean NOT NULL,
    as_of_time     timestamptz NOT NULL
);
CREATE INDEX documents_partnership ON documents (partnership_id);

-- +goose Down
DROP TABLE documents;
DROP TABLE reports;
ALTER TABLE applications DROP COLUMN framework;
