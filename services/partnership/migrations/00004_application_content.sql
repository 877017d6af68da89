-- +goose Up
-- What an application promises (issue 13): its content and results framework, a JSON document of
-- programme.Content read and written as a whole; the revision it is in; why ICLD last returned it.
ALTER TABLE applications
    ADD COLUMN content jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN revision integer NOT NULL DEFAULT 1,
    ADD COLUMN return_reason text NOT NULL DEFAULT '';

-- The content an approved application had before each change ICLD recorded: revision `number` as it stood,
-- and why and by whom it was changed.
CREATE TABLE application_revisions (
    application_id uuid NOT NULL REFERENCES applications (id),
    number         integer NOT NULL,
    start_date     date NOT NULL,
    end_date       date NOT NULL,
    content        jsonb NOT NULL,
    reason         text NOT NULL,
    creator        text NOT NULL,
    create_time    timestamptz NOT NULL,
    PRIMARY KEY (application_id, number)
);

-- +goose Down
DROP TABLE application_revisions;
ALTER TABLE applications DROP COLUMN content, DROP COLUMN revision, DROP COLUMN return_reason;
