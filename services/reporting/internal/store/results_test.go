package store

import "testing"

func TestReached(t *testing.T) {
	for _, tc := range []struct {
		baseline, target, value string
		want                    bool
	}{
		{"0", "12", "4", false},
		{"0", "12", "12", true},
		{"0", "12", "12.5", true},
		{"40", "10", "12", false}, // a target below the baseline: reached by coming down to it
		{"40", "10", "9.99", true},
		{"", "0.3", "0.30", true},
		{"", "", "4", false},  // no target
		{"", "12", "", false}, // no value: a qualitative indicator
		{"", "twelve", "12", false},
	} {
		if got := reached(tc.baseline, tc.target, tc.value); got != tc.want {
			t.Errorf("reached(%q, %q, %q) = %v, want %v", tc.baseline, tc.target, tc.value, got, tc.want)
		}
	}
}
