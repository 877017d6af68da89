package grpcerr

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/partnerskap/partnerskap/platform/fault"
)

func TestStatusMapsEveryFault(t *testing.T) {
	cases := []struct {
		err    error
		code   codes.Code
		reason string
	}{
		{fault.InvalidField("organization.display_name", "is empty"), codes.InvalidArgument, "INVALID_ARGUMENT"},
		{&fault.FailedPrecondition{Reason: "ILLEGAL_TRANSITION", Message: "no", Violations: []fault.PreconditionViolation{{Type: "STATE"}}}, codes.FailedPrecondition, "ILLEGAL_TRANSITION"},
		{fmt.Errorf("get: %w", &fault.NotFound{Kind: "partnership", ID: "x"}), codes.NotFound, "NOT_FOUND"},
		{&fault.Conflict{Reason: "ETAG_MISMATCH", Message: "stale"}, codes.Aborted, "ETAG_MISMATCH"},
		{&fault.Conflict{Reason: "ORG_NUMBER_TAKEN", AlreadyExists: true, Field: "organization.swedish.org_number"}, codes.AlreadyExists, "ORG_NUMBER_TAKEN"},
		{&fault.Unauthenticated{Reason: "TOKEN_EXPIRED"}, codes.Unauthenticated, "TOKEN_EXPIRED"},
		{&fault.PermissionDenied{}, codes.PermissionDenied, "PERMISSION_DENIED"},
		{&fault.Unavailable{Message: "down"}, codes.Unavailable, "SERVICE_UNAVAILABLE"},
		{&fault.Unavailable{Reason: fault.ServiceUnavailable, Service: "partnership", Message: "down"}, codes.Unavailable, "SERVICE_UNAVAILABLE"},
		{&fault.Unavailable{Reason: fault.DatabaseUnavailable, Message: "down", Cause: errors.New("dial tcp 10.0.0.5:5432: refused")}, codes.Unavailable, "DATABASE_UNAVAILABLE"},
		{context.DeadlineExceeded, codes.DeadlineExceeded, "DEADLINE_EXCEEDED"},
		{errors.New(`ERROR: relation "secret_table" does not exist (SQLSTATE 42P01)`), codes.Internal, "INTERNAL"},
	}
	for _, tc := range cases {
		s := Status(context.Background(), tc.err)
		if s.Code() != tc.code {
			t.Errorf("%v: code %v, want %v", tc.err, s.Code(), tc.code)
		}
		var info *errdetails.ErrorInfo
		for _, d := range s.Details() {
			if i, ok := d.(*errdetails.ErrorInfo); ok {
				info = i
			}
		}
		if info == nil || info.Reason != tc.reason || info.Domain != Domain {
			t.Errorf("%v: ErrorInfo %v, want reason %s", tc.err, info, tc.reason)
		}
		if s.Code() == codes.Unavailable && !hasRetryInfo(s) {
			t.Errorf("%v: UNAVAILABLE without RetryInfo", tc.err)
		}
		if strings.Contains(s.Message(), "SQLSTATE") || strings.Contains(s.Message(), "10.0.0.5") {
			t.Errorf("internal detail leaked: %q", s.Message())
		}
	}
}

func TestInvalidCarriesFieldViolations(t *testing.T) {
	v := &fault.Invalid{}
	v.Add("partnership.title", "is empty")
	v.Add("partnership.core_areas", "choose at least one")
	s := Status(context.Background(), v)
	for _, d := range s.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			if len(br.FieldViolations) != 2 || br.FieldViolations[1].Field != "partnership.core_areas" {
				t.Fatalf("violations %v", br.FieldViolations)
			}
			return
		}
	}
	t.Fatal("no BadRequest detail")
}

func TestStatusPassesStatusesThrough(t *testing.T) {
	in := status.Error(codes.ResourceExhausted, "slow down")
	if got := Status(context.Background(), in); got.Code() != codes.ResourceExhausted || got.Message() != "slow down" {
		t.Fatalf("got %v", got)
	}
	if Error(context.Background(), nil) != nil {
		t.Fatal("nil error became a status")
	}
}

func hasRetryInfo(s *status.Status) bool {
	for _, d := range s.Details() {
		if _, ok := d.(*errdetails.RetryInfo); ok {
			return true
		}
	}
	return false
}

// The cause of a hidden failure goes to the slot the logging interceptor reads, not to a log line of its own.
func TestCauseIsLeftForTheCallsOneLogLine(t *testing.T) {
	ctx, cause := WithCause(context.Background())
	Status(ctx, errors.New("disk full"))
	if cause.String() != "disk full" {
		t.Fatalf("cause %q, want the error's text", cause.String())
	}
}
