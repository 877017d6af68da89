package enumword

import (
	"testing"

	financev1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
	partnershipv1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
)

func TestWordsRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		value interface{ String() string }
		word  string
	}{
		{financev1.BudgetState_BUDGET_STATE_APPROVED, "approved"},
		{financev1.CostZone_COST_ZONE_AFRICA_ASIA_LATIN_AMERICA, "africa_asia_latin_america"},
		{financev1.ClaimState_CLAIM_STATE_PARTLY_APPROVED, "partly_approved"},
		{partnershipv1.ApplicationKind_APPLICATION_KIND_STEERING_GROUP, "steering_group"},
	} {
		var got string
		switch v := tc.value.(type) {
		case financev1.BudgetState:
			got = Word(v)
			if back := Of[financev1.BudgetState](got); back != v {
				t.Errorf("Of(%q) = %v, want %v", got, back, v)
			}
		case financev1.CostZone:
			got = Word(v)
			if back := Of[financev1.CostZone](got); back != v {
				t.Errorf("Of(%q) = %v, want %v", got, back, v)
			}
		case financev1.ClaimState:
			got = Word(v)
		case partnershipv1.ApplicationKind:
			got = Word(v)
		}
		if got != tc.word {
			t.Errorf("Word(%v) = %q, want %q", tc.value, got, tc.word)
		}
	}
}

func TestUnspecifiedAndUnknown(t *testing.T) {
	if w := Word(financev1.BudgetState_BUDGET_STATE_UNSPECIFIED); w != "" {
		t.Errorf("unspecified gives %q, want empty", w)
	}
	if w := Word(financev1.BudgetState(99)); w != "" {
		t.Errorf("undefined number gives %q, want empty", w)
	}
	if v := Of[financev1.BudgetState]("nonsense"); v != financev1.BudgetState_BUDGET_STATE_UNSPECIFIED {
		t.Errorf("unknown word gives %v, want unspecified", v)
	}
	if v := Of[financev1.BudgetState]("unspecified"); v != 0 {
		t.Errorf(`"unspecified" gives %v; it is not a word of any value`, v)
	}
	if v := Of[financev1.BudgetState](""); v != 0 {
		t.Errorf("empty word gives %v, want unspecified", v)
	}
}

func TestUnmatched(t *testing.T) {
	if got := Unmatched[financev1.BudgetState]([]string{"draft", "approved", "lost", "unspecified"}); len(got) != 2 || got[0] != "lost" || got[1] != "unspecified" {
		t.Errorf("Unmatched = %v, want [lost unspecified]", got)
	}
}
