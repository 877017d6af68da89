-- +goose Up
CREATE TABLE items (
    id   bigint PRIMARY KEY,
    slug text NOT NULL CONSTRAINT items_slug_key UNIQUE
);

-- +goose Down
DROP TABLE items;
