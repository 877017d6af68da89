-- +goose Up
-- The report a claim belongs to (issue 13): the partnership service's report id, and whether the claim is
-- its application's final one. A claim is approved only after its report is.
ALTER TABLE claims
    ADD COLUMN report_id uuid,
    ADD COLUMN final boolean NOT NULL DEFAULT false;

-- The stored file a receipt names (the partnership service's document), when the claim names one.
ALTER TABLE claim_lines ADD COLUMN receipt_document_id uuid;

-- +goose Down
ALTER TABLE claim_lines DROP COLUMN receipt_document_id;
ALTER TABLE claims DROP COLUMN report_id, DROP COLUMN final;
