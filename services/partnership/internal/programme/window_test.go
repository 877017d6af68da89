package programme

import (
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault/faulttest"
)

func TestDefaultWindows(t *testing.T) {
	ws := DefaultWindows(2025, 2026)
	if len(ws) != 2*2*4 {
		t.Fatalf("%d windows; want 2 a year for 4 kinds over 2 years", len(ws))
	}
	for i, w := range ws {
		faulttest.Invalid(t, w.Validate("w"), nil)
		if w.Kind == KindInception {
			t.Errorf("a default window for inception: %+v", w)
		}
		others := append(append([]Window{}, ws[:i]...), ws[i+1:]...)
		if err := CheckNoWindowOverlap(others, w); err != nil {
			t.Errorf("default windows overlap: %v", err)
		}
	}
	if len(DefaultWindows(2026, 2025)) != 0 {
		t.Error("an empty year range gives windows")
	}
}

func TestCheckWindow(t *testing.T) {
	ws := DefaultWindows(2025, 2026)
	tests := []struct {
		name    string
		windows []Window
		kind    ApplicationKind
		on      string
		wantMsg string
	}{
		{"first day", ws, KindProject, "2025-02-15", ""},
		{"last day", ws, KindProject, "2025-03-15", ""},
		{"day after", ws, KindProject, "2025-03-16",
			"project applications can be submitted only in an application window, and 2025-03-16 is outside them; the next window for project applications is 2025-09-15 to 2025-10-15"},
		{"day before", ws, KindSteeringGroup, "2025-02-14", "the next window for steering group applications is 2025-02-15 to 2025-03-15"},
		{"autumn last day", ws, KindDissemination, "2025-10-15", ""},
		{"after autumn, next year", ws, KindDevelopment, "2025-10-16", "the next window for development applications is 2026-02-15 to 2026-03-15"},
		{"after the last planned window", ws, KindProject, "2026-10-16", "no window for project applications is planned yet"},
		{"no windows at all", nil, KindProject, "2025-03-01", "no window for project applications is planned yet"},
		{"inception at any time", nil, KindInception, "2025-07-04", ""},
		{"another kind's window does not count",
			[]Window{{Kind: KindDevelopment, Period: per("2025-05-01", "2025-05-31")}, {Kind: KindProject, Period: per("2025-09-01", "2025-09-30")}},
			KindProject, "2025-05-10", "the next window for project applications is 2025-09-01 to 2025-09-30"},
		{"unsorted windows: the earliest next one",
			[]Window{{Kind: KindProject, Period: per("2027-02-15", "2027-03-15")}, {Kind: KindProject, Period: per("2026-02-15", "2026-03-15")}},
			KindProject, "2025-12-01", "is 2026-02-15 to 2026-03-15"},
		{"an open-ended window is always open once begun",
			[]Window{{Kind: KindDissemination, Period: per("2025-01-01", "")}}, KindDissemination, "2031-07-01", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckWindow(tt.windows, tt.kind, d(t, tt.on))
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("got %v; want none", err)
				}
				return
			}
			fp := faulttest.Precondition(t, err, ReasonOutsideWindow, TypeApplicationWindow, tt.wantMsg)
			if fp.Violations[0].Subject != "application-windows/"+string(tt.kind) {
				t.Errorf("Subject = %q", fp.Violations[0].Subject)
			}
		})
	}
	faulttest.Invalid(t, CheckWindow(ws, "seminar", d(t, "2025-03-01")), map[string]string{"kind": `"seminar" is not an application kind`})
}

func TestWindowValidate(t *testing.T) {
	tests := []struct {
		name string
		w    Window
		want map[string]string
	}{
		{"ok", Window{Kind: KindProject, Period: per("2025-02-15", "2025-03-15")}, nil},
		{"inception", Window{Kind: KindInception, Period: per("2025-02-15", "2025-03-15")}, map[string]string{"w.kind": "at any time"}},
		{"unknown kind", Window{Kind: "x", Period: per("2025-02-15", "2025-03-15")}, map[string]string{"w.kind": "not an application kind"}},
		{"closes before it opens", Window{Kind: KindProject, Period: per("2025-03-15", "2025-02-15")}, map[string]string{"w.closes": "before"}},
		{"no dates", Window{Kind: KindProject}, map[string]string{"w.opens": "enter the first day", "w.closes": "enter the last day"}},
		{"open-ended", Window{Kind: KindProject, Period: per("2025-02-15", "")}, map[string]string{"w.closes": "enter the last day"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { faulttest.Invalid(t, tt.w.Validate("w"), tt.want) })
	}
}

func TestCheckNoWindowOverlap(t *testing.T) {
	existing := []Window{
		{ID: "1", Kind: KindProject, Period: per("2025-02-15", "2025-03-15")},
		{ID: "2", Kind: KindDevelopment, Period: per("2025-02-15", "2025-03-15")},
	}
	tests := []struct {
		name    string
		w       Window
		wantMsg string
	}{
		{"touching the last day", Window{Kind: KindProject, Period: per("2025-03-15", "2025-04-15")},
			"the period from 2025-03-15 to 2025-04-15 overlaps the window for project applications from 2025-02-15 to 2025-03-15"},
		{"the day after", Window{Kind: KindProject, Period: per("2025-03-16", "2025-04-15")}, ""},
		{"same days, another kind", Window{Kind: KindDissemination, Period: per("2025-02-15", "2025-03-15")}, ""},
		{"an update of itself", Window{ID: "1", Kind: KindProject, Period: per("2025-02-10", "2025-03-20")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckNoWindowOverlap(existing, tt.w)
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("got %v; want none", err)
				}
				return
			}
			faulttest.Precondition(t, err, ReasonPeriodOverlap, TypeApplicationWindow, tt.wantMsg)
		})
	}
}
