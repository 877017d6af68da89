-- +goose Up
CREATE TABLE counters (
    id int PRIMARY KEY,
    n  int NOT NULL
);
INSERT INTO counters (id, n) VALUES (1, 0), (2, 0);

-- +goose Down
DROP TABLE counters;
