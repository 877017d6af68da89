-- +goose Up
-- The audit log is read through the API (platform/audit: GET /v1/audit-log) in (time, seq) order, narrowed
-- by resource, actor or request. Without these indexes every page would scan and sort the whole log, which
-- only grows.
CREATE INDEX audit_log_time ON audit_log (time, seq);
CREATE INDEX audit_log_resource ON audit_log (resource_id, time, seq);
CREATE INDEX audit_log_actor ON audit_log (actor, time, seq);
CREATE INDEX audit_log_request ON audit_log (request_id);

-- +goose Down
DROP INDEX audit_log_request;
DROP INDEX audit_log_actor;
DROP INDEX audit_log_resource;
DROP INDEX audit_log_time;
