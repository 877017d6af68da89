-- +goose Up
-- This version once made the outbox, which the platform now owns (platform/schema); it is kept so that every
-- database counts its versions alike.
SELECT 1;

-- +goose Down
SELECT 1;
