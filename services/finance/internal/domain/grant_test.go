package domain

import (
	"errors"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault"
)

func TestEnvelope(t *testing.T) {
	const k = 100 * 1000 // 1 000 SEK in öre
	grants := map[int]int64{2026: 1000 * k}
	others := map[int]int64{2026: 700 * k}
	if err := CheckEnvelope(grants, others, nil, map[int]int64{2026: 300 * k}); err != nil {
		t.Fatalf("exactly what is left: %v", err)
	}
	var pf *fault.FailedPrecondition
	err := CheckEnvelope(grants, others, nil, map[int]int64{2026: 300 * k, 2027: 5000 * k})
	if !errors.As(err, &pf) || pf.Reason != ReasonGrantNotRecorded || len(pf.Violations) != 1 || pf.Violations[0].Subject != "grants/2027" {
		t.Fatalf("a year without a grant: %v", err)
	}
	if err := CheckEnvelope(grants, others, map[int]int64{2027: 50 * k}, map[int]int64{2026: 300 * k, 2027: 10 * k}); err != nil {
		t.Fatalf("giving money back of a year without a grant: %v", err)
	}
	err = CheckEnvelope(grants, others, map[int]int64{2026: 100 * k}, map[int]int64{2026: 400 * k})
	if !errors.As(err, &pf) || pf.Reason != ReasonGrantExceeded || !strings.Contains(pf.Message, "only 200") || pf.Violations[0].Subject != "grants/2026" {
		t.Fatalf("300 000 more of a year with 200 000 left: %v", err)
	}
	if err := CheckEnvelope(map[int]int64{2026: 100 * k}, others, map[int]int64{2026: 400 * k}, map[int]int64{2026: 300 * k}); err != nil {
		t.Fatalf("a revision that gives money back under a lowered grant: %v", err)
	}
}
