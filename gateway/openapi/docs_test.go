package openapi

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

// The embedded bundle is the pinned one, unchanged.
func TestRedocIsThePinnedBundle(t *testing.T) {
	sum := sha256.Sum256(redoc)
	if got := hex.EncodeToString(sum[:]); got != RedocSHA256 {
		t.Fatalf("redoc/redoc.standalone.js has sha256 %s, want %s (see redoc/SOURCE.md)", got, RedocSHA256)
	}
}
