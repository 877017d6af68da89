-- +goose Up
-- The notification service (issue 14): the e-mails it sends, the calendar feeds it serves, and where it is in
-- the event streams it follows.

-- Where the consumer is in each producer's stream (platform/consume), and the events it set aside.
CREATE TABLE consumer_cursors (
    producer   text PRIMARY KEY,
    seq        bigint NOT NULL,
    event_time timestamptz
);
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

-- Every e-mail, made once per reason (dedupe_key: a reminder of one deadline to one person, a request of one
-- event to one person, a digest of one week to one person), then sent and retried until it is accepted or
-- given up. An erased person's messages keep their facts (kind, times, delivery) but lose address and text.
CREATE TABLE messages (
    id                uuid PRIMARY KEY,
    dedupe_key        text NOT NULL UNIQUE,
    person_id         uuid NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('reminder', 'request', 'digest')),
    language          text NOT NULL,
    to_address        text NOT NULL,
    subject           text NOT NULL,
    body              text NOT NULL,
    state             text NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
    attempts          int NOT NULL DEFAULT 0,
    next_attempt_time timestamptz NOT NULL,
    last_error        text NOT NULL DEFAULT '',
    erased            boolean NOT NULL DEFAULT false,
    create_time       timestamptz NOT NULL,
    sent_time         timestamptz
);
CREATE INDEX messages_due ON messages (next_attempt_time) WHERE state = 'pending';
CREATE INDEX messages_person ON messages (person_id, create_time DESC);

-- Calendar feeds: a token (kept as its SHA-256) that stands for its owner's scope when a calendar fetches
-- /v1/deadlines.ics.
CREATE TABLE feeds (
    id           uuid PRIMARY KEY,
    subject      text NOT NULL,
    role         text NOT NULL,
    organization text NOT NULL,
    display_name text NOT NULL,
    token_sha256 bytea NOT NULL UNIQUE,
    create_time  timestamptz NOT NULL,
    revoke_time  timestamptz
);
CREATE INDEX feeds_subject ON feeds (subject, create_time);

-- +goose Down
DROP TABLE feeds;
DROP TABLE messages;
DROP TABLE parked_events;
DROP TABLE consumer_cursors;
