-- +goose Up
-- Organisations: Swedish municipal bodies and local governments abroad.
CREATE TABLE organizations (
    id                uuid PRIMARY KEY,
    kind              text NOT NULL,
    display_name      text NOT NULL,
    -- Swedish organisation number, normalised to 10 digits; NULL for international organisations.
    org_number        text UNIQUE,
    municipality_code text NOT NULL DEFAULT '',
    county_code       text NOT NULL DEFAULT '',
    -- 'SE' for Swedish organisations, so one filter finds organisations by country.
    country_code      text NOT NULL,
    government_kind   text NOT NULL DEFAULT '',
    -- Incremented on every change; the etag is derived from it.
    version           bigint NOT NULL DEFAULT 1,
    create_time       timestamptz NOT NULL,
    update_time       timestamptz NOT NULL,
    creator           text NOT NULL,
    updater           text NOT NULL
);
CREATE INDEX organizations_country ON organizations (country_code, id);

CREATE TABLE partnerships (
    id                            uuid PRIMARY KEY,
    swedish_organization_id       uuid NOT NULL REFERENCES organizations (id),
    international_organization_id uuid NOT NULL REFERENCES organizations (id),
    title                         text NOT NULL,
    challenge                     text NOT NULL DEFAULT '',
    core_areas                    text[] NOT NULL,
    sdg_targets                   text[] NOT NULL,
    state                         text NOT NULL,
    version                       bigint NOT NULL DEFAULT 1,
    create_time                   timestamptz NOT NULL,
    update_time                   timestamptz NOT NULL,
    creator                       text NOT NULL,
    updater                       text NOT NULL
);
CREATE INDEX partnerships_swedish ON partnerships (swedish_organization_id, id);
CREATE INDEX partnerships_international ON partnerships (international_organization_id, id);

-- Every change of a partnership's state, never updated or deleted.
CREATE TABLE partnership_transitions (
    seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partnership_id uuid NOT NULL REFERENCES partnerships (id),
    transition     text NOT NULL,
    from_state     text NOT NULL,
    to_state       text NOT NULL,
    actor          text NOT NULL,
    actor_role     text NOT NULL,
    reason         text NOT NULL DEFAULT '',
    time           timestamptz NOT NULL,
    request_id     text NOT NULL DEFAULT ''
);
CREATE INDEX partnership_transitions_partnership ON partnership_transitions (partnership_id, seq);

-- +goose Down
DROP TABLE partnership_transitions;
DROP TABLE partnerships;
DROP TABLE organizations;
