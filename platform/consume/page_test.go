package consume

import (
	"slices"
	"testing"
)

func TestPagerHalvesToOneAndGrowsBack(t *testing.T) {
	p := newPager(500)
	var sizes []int
	for p.shrink() {
		sizes = append(sizes, p.size)
	}
	if want := []int{250, 125, 62, 31, 15, 7, 3, 1}; !slices.Equal(sizes, want) {
		t.Fatalf("halving gave %v, want %v", sizes, want)
	}
	for range growAfter - 1 {
		p.ok()
	}
	if p.size != 1 {
		t.Fatalf("grew after %d pages, before %d", growAfter-1, growAfter)
	}
	for range 20 * growAfter {
		p.ok()
	}
	if p.size != 500 {
		t.Fatalf("size %d after many good pages, want back to 500", p.size)
	}
	p.shrink()
	p.ok()
	p.shrink()
	if p.size != 125 || p.read != 0 {
		t.Fatalf("a refusal must restart the count of good pages: %+v", p)
	}
}

// claimOf is a claim of lines lines, each charged to a budget line with a 64-character id, as a member can
// submit it: about 100 bytes a line in its event.
