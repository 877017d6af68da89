package postgres

import "testing"

// SetLocalServerURL points Locate's second step at url for the rest of the test, so tests can choose
// whether "something answers on 5432". Tests that call it must not run in parallel.
func SetLocalServerURL(t testing.TB, url string) {
	old := localServerURL
	localServerURL = url
	t.Cleanup(func() { localServerURL = old })
}
