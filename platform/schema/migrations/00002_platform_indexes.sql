-- +goose NO TRANSACTION
-- +goose Up
-- Indexes for reads of the platform's tables. A database of an earlier release may hold a large audit log
-- while that release still serves it, so each index is built CONCURRENTLY, outside a transaction, without
-- blocking its writes. (A build interrupted midway leaves an invalid index that IF NOT EXISTS would keep: drop
-- it by hand and migrate again.)

-- GET /v1/audit-log reads in (time, seq) order, filtered by resource, actor or request.
CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_log_time ON audit_log (time, seq);
CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_log_resource ON audit_log (resource_id, time, seq);
CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_log_actor ON audit_log (actor, time, seq);
CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_log_request ON audit_log (request_id);
-- The expiry job deletes keys by age.
CREATE INDEX CONCURRENTLY IF NOT EXISTS idempotency_keys_create_time ON idempotency_keys (create_time);

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS idempotency_keys_create_time;
DROP INDEX CONCURRENTLY IF EXISTS audit_log_request;
DROP INDEX CONCURRENTLY IF EXISTS audit_log_actor;
DROP INDEX CONCURRENTLY IF EXISTS audit_log_resource;
DROP INDEX CONCURRENTLY IF EXISTS audit_log_time;
