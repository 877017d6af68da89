package auth

import (
	"crypto/ed25519"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestEnsureDevKeyCreatesThenReloads(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	path := filepath.Join(dir, "dev-signing-key.pem")
	first, err := EnsureDevKey(path)
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{dir: 0o700, path: 0o600} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s has mode %v, want %v", p, got, want)
		}
	}
	second, err := EnsureDevKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if !first.Equal(second) {
		t.Fatal("second EnsureDevKey returned a different key")
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, "*.tmp"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

// TestEnsureDevKeyConcurrent is the `make run` + `make token` race: every caller must get the same key.
func TestEnsureDevKeyConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run", "key.pem")
	const n = 8
	keys := make([]ed25519.PrivateKey, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { keys[i], errs[i] = EnsureDevKey(path) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
		if !keys[i].Equal(keys[0]) {
			t.Fatalf("caller %d got a different key", i)
		}
	}
}

func TestEnsureDevKeyRefusesForeignFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "key.pem")
	if err := os.WriteFile(path, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := EnsureDevKey(path); err == nil {
		t.Fatal("EnsureDevKey accepted a file that is not a key")
	}
	if data, _ := os.ReadFile(path); string(data) != "not a key" {
		t.Fatal("EnsureDevKey overwrote an existing file")
	}
}

func TestIssueDevTokenRefusesBadInput(t *testing.T) {
	_, key, _ := ed25519.GenerateKey(nil)
	tests := []struct {
		name string
		key  ed25519.PrivateKey
		p    Principal
		ttl  time.Duration
	}{
		{"no subject", key, Principal{Role: RoleAdmin}, time.Hour},
		{"unknown role", key, Principal{Subject: "s", Role: "root"}, time.Hour},
		{"member without org", key, Principal{Subject: "s", Role: RoleMember}, time.Hour},
		{"partner without org", key, Principal{Subject: "s", Role: RolePartner}, time.Hour},
		{"admin with org", key, Principal{Subject: "s", Role: RoleAdmin, Org: "o"}, time.Hour},
		{"zero ttl", key, Principal{Subject: "s", Role: RoleAdmin}, 0},
		{"no key", nil, Principal{Subject: "s", Role: RoleAdmin}, time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tok, err := IssueDevToken(tt.key, "", "", tt.p, tt.ttl); err == nil {
				t.Fatalf("IssueDevToken succeeded: %s", tok)
			}
		})
	}
}
