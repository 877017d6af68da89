-- +goose Up
-- A partnership's files (issue 13). The bytes are in the documents bucket under their SHA-256; a row is one
-- upload of them, seen by whoever sees its partnership.
CREATE TABLE documents (
    id             uuid PRIMARY KEY,
    partnership_id uuid NOT NULL REFERENCES partnerships (id),
    kind           text NOT NULL,
    file_name      text NOT NULL,
    content_type   text NOT NULL,
    size           bigint NOT NULL CHECK (size >= 0),
    sha256         text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    report_id      uuid REFERENCES reports (id),
    public         boolean NOT NULL DEFAULT false,
    version        bigint NOT NULL DEFAULT 1,
    create_time    timestamptz NOT NULL,
    update_time    timestamptz NOT NULL,
    creator        text NOT NULL,
    updater        text NOT NULL
);
CREATE INDEX documents_partnership ON documents (partnership_id, id);

-- +goose Down
DROP TABLE documents;
