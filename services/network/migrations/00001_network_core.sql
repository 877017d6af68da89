-- +goose Up
-- Thematic networks of partnerships.
CREATE TABLE networks (
    id           uuid PRIMARY KEY,
    display_name text NOT NULL,
    theme        text NOT NULL DEFAULT '',
    create_time  timestamptz NOT NULL,
    update_time  timestamptz NOT NULL,
    creator      text NOT NULL
);

-- Which partnerships belong to which network. The partnership's two parties are copied here (from the
-- partnership service's events) because this service may not read that service's database, and a member or
-- partner sees exactly the networks in which a partnership of its organisation is a member.
CREATE TABLE network_memberships (
    network_id                    uuid NOT NULL REFERENCES networks (id),
    partnership_id                uuid NOT NULL,
    swedish_organization_id       uuid NOT NULL,
    international_organization_id uuid NOT NULL,
    PRIMARY KEY (network_id, partnership_id)
);
CREATE INDEX network_memberships_swedish ON network_memberships (swedish_organization_id, network_id);
CREATE INDEX network_memberships_international ON network_memberships (international_organization_id, network_id);

-- +goose Down
DROP TABLE network_memberships;
DROP TABLE networks;
