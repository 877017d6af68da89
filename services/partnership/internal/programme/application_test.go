package programme

import (
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault/faulttest"
)

func TestCheckDuration(t *testing.T) {
	r := DefaultRuleSet()
	tests := []struct {
		name       string
		kind       ApplicationKind
		start, end string
		want       map[string]string
	}{
		{"project, exactly 12 months", KindProject, "2025-03-01", "2026-02-28", nil},
		{"project, a day short of 12 months", KindProject, "2025-03-01", "2026-02-27",
			map[string]string{"a.end_date": "a project application must last 12 to 36 months; 2025-03-01 to 2026-02-27 is shorter: end it on 2026-02-28 or later"}},
		{"project, exactly 36 months", KindProject, "2025-03-01", "2028-02-29", nil},
		{"project, a day over 36 months", KindProject, "2025-03-01", "2028-03-01",
			map[string]string{"a.end_date": "is longer: end it on 2028-02-29 or earlier"}},
		{"project from a month end", KindProject, "2025-01-31", "2026-01-30", nil},
		{"project from a leap day, 12 months", KindProject, "2024-02-29", "2025-02-27", nil},
		{"project from a leap day, a day short", KindProject, "2024-02-29", "2025-02-26", map[string]string{"a.end_date": "end it on 2025-02-27 or later"}},
		{"project from a leap day, 36 months", KindProject, "2024-02-29", "2027-02-27", nil},
		{"project from a leap day, a day over", KindProject, "2024-02-29", "2027-02-28", map[string]string{"a.end_date": "end it on 2027-02-27 or earlier"}},
		{"inception, 12 months", KindInception, "2025-01-01", "2025-12-31", nil},
		{"inception, shortest", KindInception, "2025-01-01", "2025-06-30", nil},
		{"inception, too short", KindInception, "2025-01-01", "2025-06-29", map[string]string{"a.end_date": "an inception application must last 6 to 18 months"}},
		{"steering group, exactly a year", KindSteeringGroup, "2025-01-01", "2025-12-31", nil},
		{"steering group, a day short", KindSteeringGroup, "2025-01-01", "2025-12-30", map[string]string{"a.end_date": "a steering group application must last 12 months"}},
		{"development, one month", KindDevelopment, "2025-01-31", "2025-02-27", nil},
		{"dissemination, too long", KindDissemination, "2025-01-01", "2026-01-02", map[string]string{"a.end_date": "1 to 12 months"}},
		{"end before start", KindProject, "2025-03-01", "2025-02-28", map[string]string{"a.end_date": "the end date 2025-02-28 is before the start date 2025-03-01"}},
		{"same day", KindDevelopment, "2025-03-01", "2025-03-01", map[string]string{"a.end_date": "is shorter"}},
		{"no start", KindProject, "", "2026-03-01", map[string]string{"a.start_date": "enter the first day"}},
		{"no dates", KindProject, "", "", map[string]string{"a.start_date": "enter the first day", "a.end_date": "enter the last day"}},
		{"unknown kind", "seminar", "2025-03-01", "2026-03-01", map[string]string{"a.kind": `"seminar" is not an application kind`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			faulttest.Invalid(t, CheckDuration(r, tt.kind, d(t, tt.start), d(t, tt.end), "a"), tt.want)
		})
	}
	// The field paths work without a prefix, and a rule set without a rule for a kind sets no limit.
	faulttest.Invalid(t, CheckDuration(r, KindProject, d(t, "2025-03-01"), d(t, "2025-03-02"), ""), map[string]string{"end_date": "shorter"})
	faulttest.Invalid(t, CheckDuration(RuleSet{}, KindProject, d(t, "2025-03-01"), d(t, "2025-03-02"), ""), nil)
}

func TestCheckProjectPrerequisite(t *testing.T) {
	inc := func(s ApplicationStatus) Application { return Application{ID: "i", Kind: KindInception, Status: s} }
	tests := []struct {
		name    string
		apps    []Application
		waiver  string
		wantMsg string
	}{
		{"closed inception", []Application{inc(StatusClosed)}, "", ""},
		{"rejected then closed", []Application{inc(StatusRejected), inc(StatusClosed)}, "", ""},
		{"no inception", nil, "", "a project needs a closed inception phase first, and this partnership has none"},
		{"only a rejected one", []Application{inc(StatusRejected)}, "", "this partnership has none"},
		{"running", []Application{inc(StatusRunning)}, "", "this partnership's inception is still running"},
		{"draft", []Application{inc(StatusDraft)}, "", "is still a draft; an administrator may waive this"},
		{"a closed project is no inception", []Application{{Kind: KindProject, Status: StatusClosed}}, "", "has none"},
		{"waived", nil, "the parties ran a pre-study in 2024", ""},
		{"blank waiver is no waiver", nil, "   ", "has none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckProjectPrerequisite(tt.apps, tt.waiver)
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("got %v; want none", err)
				}
				return
			}
			faulttest.Precondition(t, err, ReasonInceptionNotClosed, TypePhase, tt.wantMsg)
		})
	}
}

func TestCheckOneInception(t *testing.T) {
	tests := []struct {
		name    string
		apps    []Application
		wantMsg string
	}{
		{"none yet", nil, ""},
		{"only other kinds", []Application{{Kind: KindProject, Status: StatusDraft}}, ""},
		{"a rejected one", []Application{{Kind: KindInception, Status: StatusRejected}}, ""},
		{"a draft one", []Application{{ID: "a1", Kind: KindInception, Status: StatusDraft}}, "already has an inception application (draft)"},
		{"a closed one", []Application{{Kind: KindInception, Status: StatusClosed}}, "a partnership has one inception phase"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckOneInception(tt.apps)
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("got %v; want none", err)
				}
				return
			}
			faulttest.Precondition(t, err, ReasonInceptionExists, TypePhase, tt.wantMsg)
		})
	}
}

func TestCheckWaiverReason(t *testing.T) {
	faulttest.Invalid(t, CheckWaiverReason("", "waiver_reason"), nil)
	faulttest.Invalid(t, CheckWaiverReason("pre-study done\nin 2024", "waiver_reason"), nil)
	faulttest.Invalid(t, CheckWaiverReason(strings.Repeat("å", MaxWaiverReasonLen+1), "waiver_reason"), map[string]string{"waiver_reason": "at most 2000"})
	faulttest.Invalid(t, CheckWaiverReason("a\x00b", "waiver_reason"), map[string]string{"waiver_reason": "control character"})
}

func TestApplicationKinds(t *testing.T) {
	for _, k := range ApplicationKinds() {
		if !k.Valid() {
			t.Errorf("%s not valid", k)
		}
	}
	if ApplicationKind("seminar").Valid() {
		t.Error("unknown kind valid")
	}
	if got := KindSteeringGroup.Label(); got != "steering group" {
		t.Errorf("Label = %q", got)
	}
}
