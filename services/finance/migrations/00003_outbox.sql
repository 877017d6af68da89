-- +goose Up
-- When a claim was submitted: reports count how long claims wait for a decision.
ALTER TABLE claims ADD COLUMN submit_time timestamptz;

-- A receipt is reimbursed once: claims look up its hash.
CREATE INDEX claim_lines_receipt ON claim_lines (receipt_sha256);

-- +goose Down
DROP INDEX claim_lines_receipt;
ALTER TABLE claims DROP COLUMN submit_time;
