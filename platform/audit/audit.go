// Package audit serves a service's audit log as partnerskap.audit.v1.AuditService: the rows that
// platform/record writes in the transaction of every change, read back, filtered and paged, and never
// changed. Each service with an audit_log table registers one Server; the gateway merges their answers into
// one GET /v1/audit-log.
//
// The service's database needs the table audit_log (seq, time, actor, actor_role, request_id, action,
// resource_kind, resource_id, detail), which platform/schema makes.
package audit

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	auditpb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/audit/v1"

	"github.com/partnerskap/partnerskap/platform/page"
	"github.com/partnerskap/partnerskap/platform/record"
)

// Server serves the audit log in one service's database.
type Server struct {
	auditpb.UnimplementedAuditServiceServer
	db      record.Querier
	service string
}

// NewServer serves the audit_log table in db's database as the log of service ("partnership", ...), the name
// each record is labelled with and the `service` filter matches.
func NewServer(db record.Querier, service string) *Server {
	return &Server{db: db, service: service}
}

// ListAuditRecords returns one page of the records that match every filter of req, oldest first. Who may
// call it is declared in the proto (staff and auditors); a record shows no more than who changed what, so
// the log is not narrowed further by the caller.
func (s *Server) ListAuditRecords(ctx context.Context, req *auditpb.ListAuditRecordsRequest) (*auditpb.ListAuditRecordsResponse, error) {
	f, err := filterOf(req)
	if err != nil {
		return nil, err
	}
	cur, err := page.Open(req.GetPageSize(), req.GetPageToken(), f.fingerprint(s.service)...)
	if err != nil {
		return nil, err
	}
	after, err := parsePosition(cur.After)
	if err != nil {
		return nil, err
	}
	if f.service != "" && f.service != s.service {
		// Asked for another service's log: this one holds none of it.
		return &auditpb.ListAuditRecordsResponse{}, nil
	}
	records, err := s.read(ctx, f, after, cur.Limit())
	if err != nil {
		return nil, err
	}
	records, next := page.Close(cur, records, func(r *auditpb.AuditRecord) string {
		return position{micros: r.GetTime().AsTime().UnixMicro(), seq: r.GetSeq()}.String()
	})
	return &auditpb.ListAuditRecordsResponse{AuditRecords: records, NextPageToken: next}, nil
}

// read runs the one query of a page: only the filters given become conditions, so each can use its index
// (see the services' audit_log migrations) instead of a plan made for every filter at once.
func (s *Server) read(ctx context.Context, f filter, after *position, limit int) ([]*auditpb.AuditRecord, error) {
	var where []string
	var args []any
	add := func(cond string, arg any) {
		args = append(args, arg)
		where = append(where, strings.ReplaceAll(cond, "$?", "$"+strconv.Itoa(len(args))))
	}
	if f.kind != "" {
		add("resource_kind = $?", f.kind)
	}
	if f.resourceID != "" {
		add("resource_id = $?::uuid", f.resourceID)
	}
	if f.actor != "" {
		add("actor = $?", f.actor)
	}
	if f.requestID != "" {
		add("request_id = $?", f.requestID)
	}
	if f.start != nil {
		add("time >= $?", *f.start)
	}
	if f.end != nil {
		add("time < $?", *f.end)
	}
	if after != nil {
		add("time >= $?", after.at())
		// Written as a row comparison so the (time, seq) index serves it; the line above lets the planner
		// start the scan at the right place even where it does not see through the row comparison.
		args = append(args, after.seq)
		where = append(where, fmt.Sprintf("(time, seq) > ($%d, $%d)", len(args)-1, len(args)))
	}
	sql := `SELECT seq, time, actor, actor_role, request_id, action, resource_kind, resource_id::text, detail FROM audit_log`
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	args = append(args, limit)
	sql += fmt.Sprintf(" ORDER BY time, seq LIMIT $%d", len(args))

	rows, err := s.db.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("audit: list: %w", err)
	}
	defer rows.Close()
	var out []*auditpb.AuditRecord
	for rows.Next() {
		r := &auditpb.AuditRecord{Service: s.service}
		var at time.Time
		if err := rows.Scan(&r.Seq, &at, &r.Actor, &r.ActorRole, &r.RequestId, &r.Action, &r.ResourceKind, &r.ResourceId, &r.Detail); err != nil {
			return nil, fmt.Errorf("audit: read: %w", err)
		}
		r.Time = timestamppb.New(at)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit: list: %w", err)
	}
	return out, nil
}
