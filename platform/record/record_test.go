package record

import (
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap/partnerskap/platform/fault"
)

func TestCheckETag(t *testing.T) {
	for _, etag := range []string{"", "7", `"7"`, `W/"7"`, " 7 "} {
		if err := CheckETag("budget", 7, etag); err != nil {
			t.Errorf("etag %q of version 7 refused: %v", etag, err)
		}
	}
	err := CheckETag("budget", 7, `"6"`)
	var c *fault.Conflict
	if !errors.As(err, &c) || c.Reason != "ETAG_MISMATCH" {
		t.Fatalf("stale etag gave %v, want a Conflict ETAG_MISMATCH", err)
	}
}

func TestNotFound(t *testing.T) {
	if !fault.IsNotFound(NotFound(pgx.ErrNoRows, "claim", "x")) {
		t.Error("no rows should be NOT_FOUND")
	}
	other := errors.New("boom")
	if NotFound(other, "claim", "x") != other {
		t.Error("other errors should pass unchanged")
	}
}

func TestNewIDsAreOrdered(t *testing.T) {
	a, b := NewID(), NewID()
	if !(a < b) {
		t.Errorf("ids not time-ordered: %s then %s", a, b)
	}
}
