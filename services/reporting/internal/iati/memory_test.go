package iati

import (
	"runtime"
	"strconv"
	"testing"
)

// generate returns a source of n activities like the demo's application (every field set), each with its own
// identifier. It builds each on request and keeps none, as a database cursor would; at(i) runs just before
// activity i is handed over.
func generate(n int, at func(i int)) func() (Activity, bool, error) {
	template := programme()[2]
	i := 0
	return func() (Activity, bool, error) {
		if i == n {
			return Activity{}, false, nil
		}
		i++
		if at != nil {
			at(i)
		}
		a := template
		a.Identifier = icld + "-A-" + strconv.Itoa(i)
		a.Title = "Application " + strconv.Itoa(i) + ": youth and the environment"
		return a, true, nil
	}
}

// countingWriter discards what it is given and counts it.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// liveHeap returns the bytes still reachable after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// Write keeps nothing per activity: the live heap after 20 000 activities is what it was after 1 000, although
// 19 000 more (some 55 MB of XML) went through. Holding the document, or even a few bytes per activity, would
// show as megabytes.
func TestWriteMemoryIsFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 20 000 activities")
	}
	const first, last = 1_000, 20_000
	var atFirst, atLast uint64
	out := &countingWriter{}
	err := Write(out, header(), generate(last, func(i int) {
		switch i {
		case first:
			atFirst = liveHeap()
		case last:
			atLast = liveHeap()
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	growth := int64(atLast) - int64(atFirst)
	t.Logf("live heap after %d activities %d B, after %d %d B (growth %d B); %d B of XML written",
		first, atFirst, last, atLast, growth, out.n)
	const allowed = 256 << 10 // under 14 bytes per activity: room for the collector's noise, not for a leak
	if growth > allowed {
		t.Errorf("the live heap grew by %d B over %d activities: Write holds on to something", growth, last-first)
	}
}

// BenchmarkWrite streams b.N activities (the demo application, every field set) into one document, so the
// per-op figures are per activity, Check included: go test -run '^$' -bench Write -benchmem ./internal/iati/
func BenchmarkWrite(b *testing.B) {
	out := &countingWriter{}
	b.ReportAllocs()
	b.ResetTimer()
	if err := Write(out, header(), generate(b.N, nil)); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(out.n)/float64(b.N), "xml-B/activity")
}

// BenchmarkCheck is the share of BenchmarkWrite spent checking codes and rules.
func BenchmarkCheck(b *testing.B) {
	a := programme()[2]
	b.ReportAllocs()
	for b.Loop() {
		if err := Check(a); err != nil {
			b.Fatal(err)
		}
	}
}
