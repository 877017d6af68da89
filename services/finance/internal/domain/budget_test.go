package domain

import (
	"errors"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
)

func mustCap(t *testing.T, k ApplicationKind, zone CostZone, parties int) Cap {
	t.Helper()
	c, ok := DefaultCapRules().Find(CapKey{k, zone, parties})
	if !ok {
		t.Fatalf("no default cap for %v %v %d", k, zone, parties)
	}
	return c
}

func line(id string, c Category, year int, kr int64) Line {
	return Line{ID: id, Category: c, Year: year, Amount: money.Kronor(kr)}
}

func work(id string, year int, hours, rateKr int64) Line {
	return Line{ID: id, Category: CategoryWorkInput, Year: year, Hours: hours, HourlyRate: money.Kronor(rateKr), Amount: money.Kronor(hours * rateKr)}
}

func TestDefaultCapRules(t *testing.T) {
	r := DefaultCapRules()
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		key         CapKey
		total, work int64
		perYear     bool
	}{
		{CapKey{KindInception, CostZoneEurope, 2}, 220_000, 0, false},
		{CapKey{KindInception, CostZoneAfricaAsiaLatinAmerica, 3}, 330_000, 0, false},
		{CapKey{KindProject, CostZoneAfricaAsiaLatinAmerica, 2}, 500_000, 0, true},
		{CapKey{KindProject, CostZoneEurope, 3}, 600_000, 0, true},
		{CapKey{KindSteeringGroup, CostZoneEurope, 2}, 300_000, 150_000, true},
		{CapKey{KindSteeringGroup, CostZoneAfricaAsiaLatinAmerica, 3}, 400_000, 200_000, true},
	}
	for _, tt := range tests {
		c, ok := r.Find(tt.key)
		if !ok || c.Total != money.Kronor(tt.total) || c.PerYear != tt.perYear || c.LimitsWorkInput != (tt.work > 0) ||
			(tt.work > 0 && c.WorkInputMax != money.Kronor(tt.work)) {
			t.Errorf("%v: got %+v", tt.key, c)
		}
	}
	if len(r.Caps) != 12 {
		t.Errorf("%d caps, want 12", len(r.Caps))
	}
}

func TestCapRulesValidate(t *testing.T) {
	r := DefaultCapRules()
	r.Caps = append(r.Caps, r.Caps[0], Cap{Key: CapKey{"bogus", "mars", 4}, Total: money.Amount{Minor: 1, Currency: "EUR"},
		LimitsWorkInput: true, WorkInputMax: money.Kronor(5)})
	r.Caps[5].WorkInputMax = money.Kronor(1_000_000)
	r.Caps[5].LimitsWorkInput = true
	var inv *fault.Invalid
	if !errors.As(r.Validate(), &inv) {
		t.Fatal("accepted broken caps")
	}
	fields := map[string]bool{}
	for _, v := range inv.Violations {
		fields[v.Field] = true
	}
	for _, f := range []string{"caps[12]", "caps[13].kind", "caps[13].cost_zone", "caps[13].parties", "caps[13].total", "caps[5].work_input_max"} {
		if !fields[f] {
			t.Errorf("no violation for %s in %v", f, inv)
		}
	}
}

func TestCapHistory(t *testing.T) {
	old := DefaultCapRules()
	old.ID, old.Period.To = "v1", Date{Year: 2025, Month: 12, Day: 31}
	h := CapHistory{old}
	next := DefaultCapRules()
	next.Period = Period{From: Date{Year: 2026, Month: 1, Day: 1}}
	if err := h.CheckAdd(next); err != nil {
		t.Fatalf("consecutive version refused: %v", err)
	}
	next.Period.From = Date{Year: 2025, Month: 12, Day: 31}
	var fp *fault.FailedPrecondition
	if !errors.As(h.CheckAdd(next), &fp) || fp.Violations[0].Subject != "v1" {
		t.Fatalf("overlap accepted: %v", fp)
	}
	if r, ok := h.On(Date{Year: 2024, Month: 6, Day: 1}); !ok || r.ID != "v1" {
		t.Fatal("On did not find v1")
	}
	if _, ok := h.On(Date{Year: 2026, Month: 1, Day: 1}); ok {
		t.Fatal("On found a version after the end")
	}
}

func TestCheckBudgetWithinCaps(t *testing.T) {
	c := mustCap(t, KindProject, CostZoneEurope, 2)
	lines := []Line{line("a", CategoryTravel, 2026, 300_000), work("b", 2026, 300, 500), line("c", CategoryTravel, 2027, 450_000)}
	if err := CheckBudget(lines, c); err != nil {
		t.Fatal(err)
	}
}

func TestCheckBudgetNamesEveryViolation(t *testing.T) {
	c := mustCap(t, KindSteeringGroup, CostZoneEurope, 2)
	lines := []Line{
		line("a", CategoryTravel, 2026, 200_000),
		work("b", 2026, 400, 500), // 200 000 of work input, over the 150 000 share; total 400 000 over 300 000
		line("c", CategoryPerDiems, 2026, 10_000),
		line("d", CategoryVenue, 2027, 1_000),
		line("e", CategorySalaries, 2027, 1_000),
	}
	err := CheckBudget(lines, c)
	var fp *fault.FailedPrecondition
	if !errors.As(err, &fp) || fp.Reason != ReasonBudgetRules {
		t.Fatalf("err = %v", err)
	}
	var got []string
	for _, v := range fp.Violations {
		got = append(got, v.Type+" "+v.Subject)
	}
	want := "ELIGIBILITY lines[2]|ELIGIBILITY lines[4]|CAP year 2026|WORK_INPUT_SHARE year 2026"
	if strings.Join(got, "|") != want {
		t.Fatalf("violations %q, want %q", strings.Join(got, "|"), want)
	}
	if !strings.Contains(fp.Violations[0].Description, "per diems") || !strings.Contains(fp.Violations[2].Description, "400 000,00 SEK") {
		t.Errorf("messages do not say what is wrong: %v", fp.Violations)
	}
}

func TestCheckBudgetInceptionWholePhase(t *testing.T) {
	c := mustCap(t, KindInception, CostZoneEurope, 2)
	lines := []Line{line("a", CategoryTravel, 2026, 120_000), line("b", CategoryTravel, 2027, 100_000)}
	if err := CheckBudget(lines, c); err != nil {
		t.Fatalf("exactly at the cap refused: %v", err)
	}
	lines[1].Amount = money.SEKOre(100_000_01)
	var fp *fault.FailedPrecondition
	if !errors.As(CheckBudget(lines, c), &fp) || fp.Violations[0].Subject != "budget" {
		t.Fatalf("one öre over the whole-phase cap accepted: %v", fp)
	}
}

func TestCheckBudgetBadLines(t *testing.T) {
	c := mustCap(t, KindProject, CostZoneEurope, 2)
	lines := []Line{
		{ID: "a", Category: "bribes", Year: 2026, Amount: money.Kronor(1)},
		{ID: "a", Category: CategoryTravel, Year: 226, Amount: money.Amount{Minor: 100, Currency: "EUR"}},
		{ID: "c", Category: CategoryWorkInput, Year: 2026, Hours: 10, HourlyRate: money.Kronor(500), Amount: money.Kronor(4000)},
		{ID: "d", Category: CategoryVisa, Year: 2026, Hours: 3, Amount: money.Kronor(0)},
	}
	var inv *fault.Invalid
	if !errors.As(CheckBudget(lines, c), &inv) {
		t.Fatal("bad lines accepted")
	}
	want := []string{"lines[0].category", "lines[1].id", "lines[1].year", "lines[1].amount", "lines[2].amount", "lines[3].amount", "lines[3].hours"}
	fields := map[string]bool{}
	for _, v := range inv.Violations {
		fields[v.Field] = true
	}
	for _, f := range want {
		if !fields[f] {
			t.Errorf("no violation for %s: %v", f, inv)
		}
	}
}

func TestCheckBudgetOverflow(t *testing.T) {
	c := mustCap(t, KindProject, CostZoneEurope, 2)
	big := money.SEKOre(1 << 62)
	lines := []Line{{ID: "a", Category: CategoryTravel, Year: 2026, Amount: big}, {ID: "b", Category: CategoryTravel, Year: 2026, Amount: big}}
	var inv *fault.Invalid
	if !errors.As(CheckBudget(lines, c), &inv) || inv.Reason != money.ReasonOverflow || inv.Violations[0].Field != "lines[1].amount" {
		t.Fatalf("overflow not refused: %v", inv)
	}
}

func TestCategories(t *testing.T) {
	if len(EligibleCategories()) != 9 {
		t.Errorf("%d eligible categories", len(EligibleCategories()))
	}
	for _, c := range Categories() {
		if c.Eligible() == (c.Refusal() != "") {
			t.Errorf("%s: eligible %v but refusal %q", c, c.Eligible(), c.Refusal())
		}
	}
}

// TestCostZoneOf: Europe is one zone, every other cluster the other; no cluster, or one this service does not
// know, is in none, so it can never pick a cap by default.
func TestCostZoneOf(t *testing.T) {
	for cluster, want := range map[string]CostZone{
		"europe": CostZoneEurope, "latin_america": CostZoneAfricaAsiaLatinAmerica, "east_africa": CostZoneAfricaAsiaLatinAmerica,
		"southern_africa": CostZoneAfricaAsiaLatinAmerica, "asia": CostZoneAfricaAsiaLatinAmerica,
	} {
		if got, ok := CostZoneOf(cluster); !ok || got != want {
			t.Errorf("CostZoneOf(%q) = %q, %v; want %q", cluster, got, ok, want)
		}
	}
	for _, cluster := range []string{"", "unspecified", "arctic", "EUROPE"} {
		if got, ok := CostZoneOf(cluster); ok {
			t.Errorf("CostZoneOf(%q) = %q; want none", cluster, got)
		}
	}
}
