package auth

import (
	"context"
	"crypto/sha256"
	"fmt"
	"testing"
	"time"
)

// A remembered token is still refused once it expires: the memory saves the signature check, not the
// lifetime check.
func TestRememberedTokenStillExpires(t *testing.T) {
	v, key := newDevVerifier(t)
	clock := &fakeClock{t: time.Now()}
	v.(*verifier).now = clock.Now
	tok, err := IssueDevToken(key, "", "", Principal{Subject: "s", Role: RoleAdmin}, 2*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := v.Verify(context.Background(), tok); err != nil {
			t.Fatalf("a fresh token: %v", err)
		}
	}
	if _, ok := v.(*verifier).memory.recall(sha256.Sum256([]byte(tok)), clock.Now()); !ok {
		t.Fatal("a verified token was not remembered")
	}
	clock.Advance(2*time.Minute + clockLeeway + time.Second)
	_, err = v.Verify(context.Background(), tok)
	wantReason(t, err, ReasonTokenExpired)
}

// A token is taken on trust for rememberFor at most, and a refused one is never remembered.
func TestMemoryForgets(t *testing.T) {
	m := newMemory()
	now := time.Now()
	key := sha256.Sum256([]byte("token"))
	m.keep(key, Principal{Subject: "s"}, now.Add(time.Hour), now)
	if p, ok := m.recall(key, now.Add(rememberFor-time.Second)); !ok || p.Subject != "s" {
		t.Fatalf("recall within rememberFor: %v %v", p, ok)
	}
	if _, ok := m.recall(key, now.Add(rememberFor)); ok {
		t.Fatal("a token was remembered past rememberFor")
	}

	v, _ := newDevVerifier(t)
	if _, err := v.Verify(context.Background(), "not.a.token"); err == nil {
		t.Fatal("a malformed token passed")
	}
	if n := len(v.(*verifier).memory.tokens); n != 0 {
		t.Fatalf("a refused token was remembered (%d entries)", n)
	}
}

// The memory never holds more than rememberMost tokens, however many callers there are.
func TestMemoryIsBounded(t *testing.T) {
	m := newMemory()
	now := time.Now()
	for i := range rememberMost + 100 {
		m.keep(sha256.Sum256(fmt.Appendf(nil, "token %d", i)), Principal{}, now.Add(time.Hour), now)
	}
	if n := len(m.tokens); n > rememberMost {
		t.Fatalf("%d tokens remembered, at most %d allowed", n, rememberMost)
	}
}

// BenchmarkVerify shows what the memory saves: a token verified again is a map lookup, not a signature check.
//
//	go test -run '^$' -bench Verify -benchmem ./platform/auth/
func BenchmarkVerify(b *testing.B) {
	v, key := newDevVerifier(b)
	tok, err := IssueDevToken(key, "", "", Principal{Subject: "s", Role: RoleAdmin}, time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("remembered", func(b *testing.B) {
		for b.Loop() {
			if _, err := v.Verify(context.Background(), tok); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := v.(*verifier).verify(context.Background(), tok); err != nil {
				b.Fatal(err)
			}
		}
	})
}
