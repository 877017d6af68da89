package reference

import (
	"strings"
	"sync"
	"testing"
)

func TestMunicipalityByCode(t *testing.T) {
	tests := []struct {
		code   string
		want   Municipality
		wantOK bool
	}{
		{"1280", Municipality{Code: "1280", Name: "Malmö kommun", CountyCode: "12"}, true},
		{"0780", Municipality{Code: "0780", Name: "Växjö kommun", CountyCode: "07"}, true},
		{"0980", Municipality{Code: "0980", Name: "Gotlands kommun", CountyCode: "09"}, true},
		{"0114", Municipality{Code: "0114", Name: "Upplands Väsby kommun", CountyCode: "01"}, true},
		{"2584", Municipality{Code: "2584", Name: "Kiruna kommun", CountyCode: "25"}, true},
		{"780", Municipality{}, false},   // leading zero matters
		{" 0780", Municipality{}, false}, // no trimming: callers pass clean codes
		{"9999", Municipality{}, false},
		{"", Municipality{}, false},
	}
	for _, tt := range tests {
		got, ok := MunicipalityByCode(tt.code)
		if ok != tt.wantOK || got != tt.want {
			t.Errorf("MunicipalityByCode(%q) = %+v, %v; want %+v, %v", tt.code, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestCountyByCode(t *testing.T) {
	tests := []struct {
		code   string
		want   County
		wantOK bool
	}{
		{"01", County{Code: "01", Name: "Stockholms län"}, true},
		{"09", County{Code: "09", Name: "Gotlands län"}, true},
		{"12", County{Code: "12", Name: "Skåne län"}, true},
		{"25", County{Code: "25", Name: "Norrbottens län"}, true},
		{"9", County{}, false},
		{"02", County{}, false}, // SCB retired 02 in 1968 (Stockholm city joined county 01)
		{"", County{}, false},
	}
	for _, tt := range tests {
		got, ok := CountyByCode(tt.code)
		if ok != tt.wantOK || got != tt.want {
			t.Errorf("CountyByCode(%q) = %+v, %v; want %+v, %v", tt.code, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestCountryByCode(t *testing.T) {
	tests := []struct {
		code     string
		wantName string
		wantOK   bool
	}{
		{"XK", "Kosovo", true},
		{"KE", "Kenya", true},
		{"ZM", "Zambia", true},
		{"VN", "Viet Nam", true},
		{"SE", "Sweden", true}, // present in the list; the domain, not this package, refuses it for partners
		{"AN", "", false},      // withdrawn in the codelist
		{"ke", "", false},      // codes are capitals
		{"ZZ", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := CountryByCode(tt.code)
		if ok != tt.wantOK || got.Name != tt.wantName || (ok && got.Code != tt.code) {
			t.Errorf("CountryByCode(%q) = %+v, %v; want name %q, %v", tt.code, got, ok, tt.wantName, tt.wantOK)
		}
	}
}

func TestSDGTargetByCode(t *testing.T) {
	tests := []struct {
		code       string
		wantGoal   string
		wantPrefix string
		wantOK     bool
	}{
		{"16.7", "16", "Ensure responsive, inclusive, participatory", true},
		{"16.6", "16", "Develop effective, accountable and transparent institutions", true},
		{"1.1", "1", "By 2030, eradicate extreme poverty", true},
		{"16.a", "16", "Strengthen relevant national institutions", true},
		{"17.19", "17", "By 2030, build on existing initiatives", true},
		{"16", "", "", false},
		{"16.07", "", "", false},
		{"18.1", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		got, ok := SDGTargetByCode(tt.code)
		if ok != tt.wantOK || got.Goal != tt.wantGoal || !strings.HasPrefix(got.Description, tt.wantPrefix) {
			t.Errorf("SDGTargetByCode(%q) = %+v, %v; want goal %q, text starting %q, %v",
				tt.code, got, ok, tt.wantGoal, tt.wantPrefix, tt.wantOK)
		}
	}
}

// TestEmbeddedCounts pins the sizes the shared README promises, so a truncated copy cannot slip in.
func TestEmbeddedCounts(t *testing.T) {
	d := data()
	if n := len(d.municipalities); n != 290 {
		t.Errorf("municipalities: %d, want 290", n)
	}
	if n := len(d.counties); n != 21 {
		t.Errorf("counties: %d, want 21", n)
	}
	if n := len(d.sdgTargets); n != 169 {
		t.Errorf("SDG targets: %d, want 169", n)
	}
	if n := len(d.countries); n < 240 {
		t.Errorf("countries: %d, want at least 240", n)
	}
	for code, tg := range d.sdgTargets {
		if strings.Contains(tg.Description, "D’ici") || strings.Contains(tg.Description, "Faire en sorte") {
			t.Errorf("target %s has French text: %q", code, tg.Description)
		}
	}
}

func TestConcurrentFirstUse(t *testing.T) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, ok := CountryByCode("XK"); !ok {
				t.Error("XK not found")
			}
		})
	}
	wg.Wait()
}
