-- +goose Up
-- Documents about a person are erased with that person (issue 13): their file names go, and their bytes once
-- no live document holds the same content. erased_contents lists the contents waiting for their bytes to be
-- deleted from the bucket, which is not part of a transaction: the erasure commits the row, and the deletion
-- follows, after the erasure or at the next start, until it succeeds.
ALTER TABLE documents ADD COLUMN person_email text NOT NULL DEFAULT '',
    ADD COLUMN erased boolean NOT NULL DEFAULT false;
CREATE INDEX documents_person ON documents (lower(person_email)) WHERE person_email <> '';
CREATE INDEX documents_sha256 ON documents (sha256);
CREATE TABLE erased_contents (
    sha256     text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    erase_time timestamptz NOT NULL
);

-- +goose Down
DROP TABLE erased_contents;
DROP INDEX documents_sha256;
DROP INDEX documents_person;
ALTER TABLE documents DROP COLUMN erased, DROP COLUMN person_email;
