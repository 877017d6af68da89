// Package fault holds the errors that domain code returns to say what went wrong in terms a caller can act on.
//
// The types know nothing of gRPC or HTTP, so domain rules stay plain Go; the one mapping to google.rpc.Status
// lives in package grpcerr. Every fault carries a stable, machine-readable Reason (UPPER_SNAKE_CASE) that
// clients may switch on; messages are for people and may change.
package fault

import (
	"errors"
	"fmt"
	"strings"
)

// FieldViolation names one input field and says what is wrong with it.
type FieldViolation struct {
	// Field is the path of the field in the request, in proto field names (e.g. "organization.org_number").
	Field string
	// Description says why the value is refused, in words a municipal official understands.
	Description string
}

// Invalid is bad input: one or more fields that break a rule. It maps to INVALID_ARGUMENT (HTTP 400).
type Invalid struct {
	Reason     string
	Violations []FieldViolation
}

func (e *Invalid) Error() string {
	parts := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		parts[i] = v.Field + ": " + v.Description
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Add records one more violation; it lets a validator collect every problem instead of stopping at the first.
func (e *Invalid) Add(field, description string) {
	e.Violations = append(e.Violations, FieldViolation{Field: field, Description: description})
}

// Err returns e when it holds violations and nil otherwise, so a validator can end with `return v.Err()`.
func (e *Invalid) Err() error {
	if e == nil || len(e.Violations) == 0 {
		return nil
	}
	return e
}

// InvalidField is shorthand for an Invalid with a single violation.
func InvalidField(field, description string) error {
	return &Invalid{Reason: "INVALID_ARGUMENT", Violations: []FieldViolation{{Field: field, Description: description}}}
}

// PreconditionViolation names a rule of the programme that the current state of things breaks.
type PreconditionViolation struct {
	// Type is the kind of rule, e.g. "STATE", "ELIGIBILITY".
	Type string
	// Subject is what the rule was checked on, e.g. "partnerships/0190…".
	Subject string
	// Description says what is wrong and, where it helps, what would be allowed.
	Description string
}

// FailedPrecondition is a request that is well formed but not allowed in the current state. It maps to
// FAILED_PRECONDITION (HTTP 400).
type FailedPrecondition struct {
	Reason     string
	Message    string
	Violations []PreconditionViolation
}

func (e *FailedPrecondition) Error() string { return e.Message }

// NotFound says the object does not exist, or that the caller may not know that it exists: the two must look
// the same to the caller. It maps to NOT_FOUND (HTTP 404).
type NotFound struct {
	// Kind is the resource type, e.g. "organization".
	Kind string
	ID   string
}

func (e *NotFound) Error() string { return fmt.Sprintf("%s %q not found", e.Kind, e.ID) }

// Conflict is a write that lost a race or repeats something that must be unique: a stale etag, a duplicate
// organisation number, an idempotency key reused with another request. Reason says which. It maps to ABORTED
// (HTTP 409) or ALREADY_EXISTS (HTTP 409) when AlreadyExists is set.
type Conflict struct {
	Reason        string
	Message       string
	AlreadyExists bool
	// Field, when set, names the input field whose value collides with an existing object.
	Field string
}

func (e *Conflict) Error() string { return e.Message }

// Unauthenticated says the caller could not be identified. It maps to UNAUTHENTICATED (HTTP 401).
type Unauthenticated struct {
	Reason  string
	Message string
}

func (e *Unauthenticated) Error() string { return e.Message }

// PermissionDenied says the caller is known but its role may not do this. It maps to PERMISSION_DENIED (403).
type PermissionDenied struct {
	Reason  string
	Message string
}

func (e *PermissionDenied) Error() string { return e.Message }

// Unavailable says a dependency (the database, another service) cannot be reached now; the same request may
// succeed later. It maps to UNAVAILABLE (HTTP 503). Reason names the dependency's condition, one reason per
// condition wherever it is detected: DATABASE_UNAVAILABLE, DATABASE_BUSY, SERVICE_UNAVAILABLE or
// STORAGE_UNAVAILABLE.
type Unavailable struct {
	Reason  string
	Message string
	// Service, for SERVICE_UNAVAILABLE, is the short name of the service that could not be reached.
	Service string
	// Cause is what went wrong underneath, for the logs; callers never see it.
	Cause error
}

func (e *Unavailable) Error() string { return e.Message }

// The reasons of Unavailable: one per condition, the same wherever it is detected (a service's own error
// mapper, another service's client, the gateway).
const (
	// DatabaseUnavailable: the service's database could not be reached or would not serve.
	DatabaseUnavailable = "DATABASE_UNAVAILABLE"
	// DatabaseBusy: a statement gave up waiting for a lock or ran past its time limit.
	DatabaseBusy = "DATABASE_BUSY"
	// ServiceUnavailable: another service could not be reached.
	ServiceUnavailable = "SERVICE_UNAVAILABLE"
	// StorageUnavailable: the bucket that keeps documents' bytes could not be read or written.
	StorageUnavailable = "STORAGE_UNAVAILABLE"
)

// IsNotFound reports whether err is, or wraps, a NotFound.
func IsNotFound(err error) bool {
	var nf *NotFound
	return errors.As(err, &nf)
}
