package domain

import (
	"strings"
	"testing"
)

func TestParseOrgNumber(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    OrgNumber
		wantErr string // a part of the message; "" means valid
	}{
		{"Malmö stad with hyphen", "212000-1124", "2120001124", ""},
		{"Växjö kommun without hyphen", "2120000662", "2120000662", ""},
		{"Region Gotland", "212000-0803", "2120000803", ""},
		{"Region Stockholm", "232100-0016", "2321000016", ""},
		{"check digit 0", "556016-0680", "5560160680", ""},
		{"check digit 0, municipality series", "2120000050", "2120000050", ""},
		{"surrounding spaces", "  212000-1124\t", "2120001124", ""},
		{"spaces inside", "212 000 1124", "2120001124", ""},
		{"spaces round the hyphen", "212000 - 1124", "2120001124", ""},
		{"en dash", "212000–1124", "2120001124", ""},
		{"non-breaking space", "212000\u00a01124", "2120001124", ""},

		{"empty", "", "", "enter an organisation number"},
		{"only spaces", "   ", "", "enter an organisation number"},
		{"only hyphen", "-", "", "enter an organisation number"},
		{"wrong check digit", "212000-1125", "", "the check digit should be 4, not 5"},
		{"transposed digits", "212000-1214", "", "the check digit should be"},
		{"check digit should be 0", "556016-0681", "", "the check digit should be 0, not 1"},
		{"nine digits", "212000-112", "", "10 digits, not 9"},
		{"eleven digits", "212000-11240", "", "10 digits, not 11"},
		{"twelve digits with 16", "16212000-1124", "", "leave out the leading 16"},
		{"twelve digits", "197001011234", "", "10 digits, not 12"},
		{"hyphen after fifth digit", "21200-01124", "", "the hyphen belongs after the sixth digit"},
		{"hyphen at the end", "2120001124-", "", "the hyphen belongs after the sixth digit"},
		{"two hyphens", "212000-11-24", "", "only one hyphen"},
		{"letter", "212000-112A", "", `'A' cannot be part`},
		{"plus sign", "212000+1124", "", `'+' cannot be part`},
		{"slash", "212000/1124", "", `'/' cannot be part`},
		{"full-width digit", "２12000-1124", "", "cannot be part"},
		{"personal identity number", "700101-1234", "", "personal identity number"},
		{"third digit 1", "201000-0000", "", "third digit"},
		{"all zeros", "000000-0000", "", "third digit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseOrgNumber(tt.in)
			if tt.wantErr == "" {
				if err != nil || got != tt.want {
					t.Fatalf("ParseOrgNumber(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("ParseOrgNumber(%q) error = %v; want one containing %q", tt.in, err, tt.wantErr)
			}
			if got != "" {
				t.Errorf("ParseOrgNumber(%q) returned %q with an error", tt.in, got)
			}
		})
	}
}

// TestLuhnEveryCheckDigit changes the check digit of a valid number to each other value: exactly one is
// accepted, so the check catches every single-digit typing error in that position.
func TestLuhnEveryCheckDigit(t *testing.T) {
	for _, body := range []string{"212000112", "212000066", "232100001", "556016068", "999999999", "552000000"} {
		accepted := 0
		for d := '0'; d <= '9'; d++ {
			if _, err := ParseOrgNumber(body + string(d)); err == nil {
				accepted++
			}
		}
		if accepted != 1 {
			t.Errorf("body %s: %d check digits accepted, want 1", body, accepted)
		}
	}
}

func TestLuhnCheckDigit(t *testing.T) {
	tests := []struct {
		body string
		want byte
	}{
		{"212000112", '4'},
		{"212000066", '2'},
		{"232100001", '6'},
		{"556016068", '0'},
		{"000000000", '0'},
		{"999999999", '9'}, // 5*(18-9) + 4*9 = 81; doubled digits above 9 lose 9
		{"500000000", '9'}, // 5*2 = 10 counts as 1
	}
	for _, tt := range tests {
		if got := luhnCheckDigit(tt.body); got != tt.want {
			t.Errorf("luhnCheckDigit(%s) = %c, want %c", tt.body, got, tt.want)
		}
	}
}

func TestOrgNumberFormats(t *testing.T) {
	tests := []struct {
		n        OrgNumber
		wantStr  string
		wantIATI string
	}{
		{"2120001124", "212000-1124", "SE-ON-2120001124"},
		{"2120000662", "212000-0662", "SE-ON-2120000662"},
		{"", "", "SE-ON-"},
		{"212000-1124", "212000-1124", "SE-ON-212000-1124"}, // not normalised: shown as stored
	}
	for _, tt := range tests {
		if got := tt.n.String(); got != tt.wantStr {
			t.Errorf("OrgNumber(%q).String() = %q, want %q", string(tt.n), got, tt.wantStr)
		}
		if got := tt.n.IATIIdentifier(); got != tt.wantIATI {
			t.Errorf("OrgNumber(%q).IATIIdentifier() = %q, want %q", string(tt.n), got, tt.wantIATI)
		}
	}
}

func FuzzParseOrgNumber(f *testing.F) {
	for _, s := range []string{"212000-1124", "2120000662", "212 000 1124", "212000–1124", "", "-", "16212000-1124",
		"212000-1125", "２12000-1124", "\xff\xfe", "700101-1234"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseOrgNumber(s)
		if err != nil {
			if n != "" || err.Error() == "" {
				t.Fatalf("ParseOrgNumber(%q) = %q, %v: an error must come with an empty value and a message", s, n, err)
			}
			return
		}
		if len(n) != 10 || !n.normalised() {
			t.Fatalf("ParseOrgNumber(%q) = %q: not 10 digits", s, n)
		}
		back, err := ParseOrgNumber(n.String())
		if err != nil || back != n {
			t.Fatalf("round trip of %q via %q = %q, %v", s, n.String(), back, err)
		}
		if again, err := ParseOrgNumber(string(n)); err != nil || again != n {
			t.Fatalf("normalised %q does not parse to itself: %q, %v", n, again, err)
		}
	})
}
