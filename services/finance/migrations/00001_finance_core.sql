-- +goose Up
-- Budgets: the money approved for one application of a partnership. The partnership's two parties are copied
-- here (from the partnership service's events) because this service may not read that service's database, and
-- a member or partner sees only its own organisation's budgets.
CREATE TABLE budgets (
    id                            uuid PRIMARY KEY,
    partnership_id                uuid NOT NULL,
    swedish_organization_id       uuid NOT NULL,
    international_organization_id uuid NOT NULL,
    state                         text NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'closed')),
    -- Money is never a float: integer minor units (öre for SEK) with an ISO 4217 code.
    total_minor                   bigint NOT NULL CHECK (total_minor >= 0),
    currency_code                 text NOT NULL DEFAULT 'SEK' CHECK (currency_code ~ '^[A-Z]{3}$'),
    create_time                   timestamptz NOT NULL,
    update_time                   timestamptz NOT NULL,
    creator                       text NOT NULL
);
CREATE INDEX budgets_partnership ON budgets (partnership_id, id);
CREATE INDEX budgets_swedish ON budgets (swedish_organization_id, id);
CREATE INDEX budgets_international ON budgets (international_organization_id, id);

-- +goose Down
DROP TABLE budgets;
