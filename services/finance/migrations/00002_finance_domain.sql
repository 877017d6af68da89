-- +goose Up
-- Money is never a float anywhere below: integer minor units (öre for SEK) in bigint columns, with the currency
-- beside them where it can be other than SEK.

-- Budget rules: versions of the caps and the notional in-kind rate, each valid over a period that overlaps no
-- other (checked by the service under a table lock, with the overlapping versions named in the refusal).
CREATE TABLE budget_rules (
    id                        uuid PRIMARY KEY,
    valid_from                date NOT NULL,
    valid_to                  date CHECK (valid_to IS NULL OR valid_to >= valid_from),
    in_kind_hourly_rate_minor bigint NOT NULL CHECK (in_kind_hourly_rate_minor > 0),
    create_time               timestamptz NOT NULL,
    creator                   text NOT NULL
);

CREATE TABLE budget_caps (
    rules_id             uuid NOT NULL REFERENCES budget_rules (id),
    kind                 text NOT NULL CHECK (kind IN ('inception', 'project', 'steering_group')),
    cluster              text NOT NULL CHECK (cluster IN ('europe', 'africa_asia_latin_america')),
    parties              int NOT NULL CHECK (parties IN (2, 3)),
    total_minor          bigint NOT NULL CHECK (total_minor > 0),
    per_year             boolean NOT NULL,
    -- NULL when the cap has no separate work-input share.
    work_input_max_minor bigint CHECK (work_input_max_minor > 0 AND work_input_max_minor <= total_minor),
    PRIMARY KEY (rules_id, kind, cluster, parties)
);

-- Budgets gain what the partnership service said of their application when they were created, their revision
-- pointers and an etag version. The table has no rows before this migration (00001 served only reads).
ALTER TABLE budgets
    ADD COLUMN application_id    uuid NOT NULL,
    ADD COLUMN application_kind  text NOT NULL CHECK (application_kind IN ('inception', 'project', 'steering_group')),
    ADD COLUMN cluster           text NOT NULL CHECK (cluster IN ('europe', 'africa_asia_latin_america')),
    ADD COLUMN parties           int NOT NULL CHECK (parties IN (2, 3)),
    ADD COLUMN start_date        date NOT NULL,
    ADD COLUMN end_date          date NOT NULL,
    ADD COLUMN revision          int NOT NULL CHECK (revision >= 1),
    ADD COLUMN approved_revision int NOT NULL DEFAULT 0 CHECK (approved_revision >= 0 AND approved_revision <= revision),
    ADD COLUMN approved_minor    bigint NOT NULL DEFAULT 0 CHECK (approved_minor >= 0),
    ADD COLUMN version           bigint NOT NULL DEFAULT 1,
    ADD COLUMN updater           text NOT NULL DEFAULT '';
-- One budget per application.
CREATE UNIQUE INDEX budgets_application ON budgets (application_id);

-- Each revision of a budget; an approved revision's lines are never changed again.
CREATE TABLE budget_revisions (
    budget_id    uuid NOT NULL REFERENCES budgets (id),
    number       int NOT NULL CHECK (number >= 1),
    state        text NOT NULL CHECK (state IN ('draft', 'submitted', 'approved')),
    total_minor  bigint NOT NULL CHECK (total_minor >= 0),
    create_time  timestamptz NOT NULL,
    creator      text NOT NULL,
    submit_time  timestamptz,
    submitter    text NOT NULL DEFAULT '',
    approve_time timestamptz,
    approver     text NOT NULL DEFAULT '',
    PRIMARY KEY (budget_id, number)
);

CREATE TABLE budget_lines (
    budget_id         uuid NOT NULL,
    revision          int NOT NULL,
    line_id           text NOT NULL,
    position          int NOT NULL,
    category          text NOT NULL,
    year              int NOT NULL,
    description       text NOT NULL,
    amount_minor      bigint NOT NULL CHECK (amount_minor > 0),
    hours             bigint NOT NULL DEFAULT 0,
    hourly_rate_minor bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (budget_id, revision, line_id),
    FOREIGN KEY (budget_id, revision) REFERENCES budget_revisions (budget_id, number)
);

-- What approved claims have taken of each line of a budget's approved revision. Claim approvals lock these
-- rows, so concurrent approvals on one line queue; the CHECK is the last guard against overspending.
CREATE TABLE budget_line_spend (
    budget_id      uuid NOT NULL REFERENCES budgets (id),
    line_id        text NOT NULL,
    approved_minor bigint NOT NULL CHECK (approved_minor >= 0),
    spent_minor    bigint NOT NULL DEFAULT 0 CHECK (spent_minor >= 0 AND spent_minor <= approved_minor),
    PRIMARY KEY (budget_id, line_id)
);

-- Payment batches gather approved claims.
CREATE TABLE payment_batches (
    id          uuid PRIMARY KEY,
    state       text NOT NULL CHECK (state IN ('open', 'paid')),
    total_minor bigint NOT NULL CHECK (total_minor > 0),
    pay_date    date,
    payer       text NOT NULL DEFAULT '',
    version     bigint NOT NULL DEFAULT 1,
    create_time timestamptz NOT NULL,
    update_time timestamptz NOT NULL,
    creator     text NOT NULL
);

-- Reimbursement claims. The budget's parties are copied for scoping a member's or partner's reads.
CREATE TABLE claims (
    id                            uuid PRIMARY KEY,
    budget_id                     uuid NOT NULL REFERENCES budgets (id),
    partnership_id                uuid NOT NULL,
    swedish_organization_id       uuid NOT NULL,
    international_organization_id uuid NOT NULL,
    period_start                  date NOT NULL,
    period_end                    date NOT NULL CHECK (period_end >= period_start),
    state                         text NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'partly_approved', 'rejected', 'paid')),
    total_minor                   bigint NOT NULL CHECK (total_minor > 0),
    approved_minor                bigint NOT NULL DEFAULT 0 CHECK (approved_minor >= 0 AND approved_minor <= total_minor),
    submitter                     text NOT NULL DEFAULT '',
    approver                      text NOT NULL DEFAULT '',
    -- A claim is in at most one batch, and a paid claim is in one.
    payment_batch_id              uuid REFERENCES payment_batches (id),
    version                       bigint NOT NULL DEFAULT 1,
    create_time                   timestamptz NOT NULL,
    update_time                   timestamptz NOT NULL,
    creator                       text NOT NULL,
    updater                       text NOT NULL DEFAULT '',
    CHECK (state <> 'paid' OR payment_batch_id IS NOT NULL)
);
CREATE INDEX claims_budget ON claims (budget_id, id);
CREATE INDEX claims_swedish ON claims (swedish_organization_id, id);
CREATE INDEX claims_international ON claims (international_organization_id, id);
CREATE INDEX claims_batch ON claims (payment_batch_id) WHERE payment_batch_id IS NOT NULL;

CREATE TABLE claim_lines (
    claim_id          uuid NOT NULL REFERENCES claims (id),
    line_id           text NOT NULL,
    position          int NOT NULL,
    cost_date         date NOT NULL,
    category          text NOT NULL,
    budget_line_id    text NOT NULL,
    description       text NOT NULL,
    original_minor    bigint NOT NULL CHECK (original_minor > 0),
    original_currency text NOT NULL CHECK (original_currency ~ '^[A-Z]{3}$'),
    rate_micros       bigint NOT NULL CHECK (rate_micros > 0),
    rate_date         date NOT NULL,
    rate_source       text NOT NULL,
    sek_minor         bigint NOT NULL CHECK (sek_minor > 0),
    receipt_file_name text NOT NULL,
    receipt_size      bigint NOT NULL CHECK (receipt_size > 0),
    receipt_sha256    text NOT NULL CHECK (receipt_sha256 ~ '^[0-9a-f]{64}$'),
    -- NULL until decided.
    approved_minor    bigint CHECK (approved_minor >= 0 AND approved_minor <= sek_minor),
    decision_reason   text NOT NULL DEFAULT '',
    PRIMARY KEY (claim_id, line_id)
);

-- The international party's working time, valued at the notional rate of the rules on its day; never paid.
CREATE TABLE in_kind_contributions (
    id                            uuid PRIMARY KEY,
    budget_id                     uuid NOT NULL REFERENCES budgets (id),
    partnership_id                uuid NOT NULL,
    swedish_organization_id       uuid NOT NULL,
    international_organization_id uuid NOT NULL,
    work_date                     date NOT NULL,
    person_role                   text NOT NULL,
    activity                      text NOT NULL,
    hours                         int NOT NULL CHECK (hours BETWEEN 1 AND 1000),
    hourly_rate_minor             bigint NOT NULL CHECK (hourly_rate_minor > 0),
    value_minor                   bigint NOT NULL CHECK (value_minor > 0),
    create_time                   timestamptz NOT NULL,
    creator                       text NOT NULL
);
CREATE INDEX in_kind_budget ON in_kind_contributions (budget_id, id);
CREATE INDEX in_kind_swedish ON in_kind_contributions (swedish_organization_id, id);
CREATE INDEX in_kind_international ON in_kind_contributions (international_organization_id, id);

-- The ledger: append-only, double-entry, hash-chained. ledger_head holds the newest seq and hash in one row,
-- which every append locks, so appends are serialised and each chains to exactly one parent.
CREATE TABLE ledger_head (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    seq       bigint NOT NULL,
    hash      text NOT NULL
);
INSERT INTO ledger_head (seq, hash) VALUES (0, repeat('0', 64));

CREATE TABLE ledger_transactions (
    seq         bigint PRIMARY KEY CHECK (seq >= 1),
    id          uuid NOT NULL UNIQUE,
    time        timestamptz NOT NULL,
    actor       text NOT NULL,
    request_id  text NOT NULL,
    description text NOT NULL,
    reverses    uuid UNIQUE REFERENCES ledger_transactions (id),
    prev_hash   text NOT NULL,
    hash        text NOT NULL UNIQUE
);

CREATE TABLE ledger_postings (
    seq          bigint NOT NULL REFERENCES ledger_transactions (seq),
    position     int NOT NULL,
    account      text NOT NULL,
    currency     text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    amount_minor bigint NOT NULL CHECK (amount_minor <> 0),
    PRIMARY KEY (seq, position)
);
CREATE INDEX ledger_postings_account ON ledger_postings (account, currency);

-- Nobody changes or removes ledger rows, whatever their database role: a mistake is corrected by a reversing
-- transaction. The triggers hold for the table owner too; the service's role should in addition be granted
-- only SELECT and INSERT on these tables (deploy/README.md).
-- +goose StatementBegin
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % on % is refused; correct a mistake with a reversing transaction', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_transactions_no_truncate BEFORE TRUNCATE ON ledger_transactions
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_postings_append_only BEFORE UPDATE OR DELETE ON ledger_postings
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_postings_no_truncate BEFORE TRUNCATE ON ledger_postings
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
REVOKE UPDATE, DELETE, TRUNCATE ON ledger_transactions, ledger_postings FROM PUBLIC;

-- +goose Down
DROP TABLE ledger_postings;
DROP TABLE ledger_transactions;
DROP FUNCTION ledger_refuse_change();
DROP TABLE ledger_head;
DROP TABLE in_kind_contributions;
DROP TABLE claim_lines;
DROP TABLE claims;
DROP TABLE payment_batches;
DROP TABLE budget_line_spend;
DROP TABLE budget_lines;
DROP TABLE budget_revisions;
DROP INDEX budgets_application;
ALTER TABLE budgets DROP COLUMN application_id, DROP COLUMN application_kind, DROP COLUMN cluster, DROP COLUMN parties,
    DROP COLUMN start_date, DROP COLUMN end_date, DROP COLUMN revision, DROP COLUMN approved_revision,
    DROP COLUMN approved_minor, DROP COLUMN version, DROP COLUMN updater;
DROP TABLE budget_caps;
DROP TABLE budget_rules;
