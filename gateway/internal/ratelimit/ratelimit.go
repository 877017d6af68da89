// Package ratelimit keeps one token bucket per caller and kind of request, and answers 429 to a caller that
// has emptied its bucket, before the request costs a service anything.
//
// A caller is the subject and organisation its token claims, at the client address it calls from. The gateway
// does not verify tokens (the services do), so the claims are read unverified, only to choose a bucket; the
// address in the key means a forged token can drain no bucket but its forger's own (another person's subject,
// sent from elsewhere, is another bucket), and every request from an address also draws on that address's
// ceiling (Address), so a stream of tokens with ever new subjects cannot buy an address more than that. A
// request without a token of that shape is counted per client address (Anonymous).
//
// Each caller has three buckets: reads, writes (POST, PUT, PATCH, DELETE) and exports (/v1/exports/ and the
// :export and :csv routes), the last two tighter, since they cost the services most. A request takes from
// exactly one bucket.
package ratelimit

import (
	"crypto/sha256"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/partnerskap/partnerskap/gateway/internal/bearer"
)

// Limit is one kind of bucket: PerSecond tokens are added each second up to Burst. A PerSecond of 0 turns
// the limit off.
type Limit struct {
	PerSecond int
	Burst     int
}

func (l Limit) on() bool { return l.PerSecond > 0 }

// refillTime is how long an empty bucket takes to fill.
func (l Limit) refillTime() time.Duration {
	return time.Duration(math.Ceil(float64(l.Burst) / float64(l.PerSecond) * float64(time.Second)))
}

// Config is every limit and the most buckets held at once.
type Config struct {
	Reads, Writes, Exports Limit
	// Anonymous is per client address, for requests without a usable token.
	Anonymous Limit
	// Address is per client address for every request, whatever its token claims: the ceiling of one source.
	Address    Limit
	MaxBuckets int
}

// Validate reports limits that cannot work.
func (c Config) Validate() error {
	for name, l := range map[string]Limit{"reads": c.Reads, "writes": c.Writes, "exports": c.Exports, "anonymous": c.Anonymous, "address": c.Address} {
		switch {
		case l.PerSecond < 0:
			return fmt.Errorf("the %s limit must be 0 (off) or more requests a second", name)
		case l.on() && l.Burst < 1:
			return fmt.Errorf("the %s burst must be at least 1", name)
		}
	}
	if c.MaxBuckets < 1 {
		return fmt.Errorf("at least one bucket must be kept")
	}
	return nil
}

// RefuseFunc writes the 429 answer: limit names the bucket ("writes"), retryAfter is whole seconds, at least
// one, and message says both in words.
type RefuseFunc func(w http.ResponseWriter, r *http.Request, limit string, retryAfter time.Duration, message string)

// Limiter is the middleware's state.
type Limiter struct {
	cfg     Config
	buckets *buckets
	address func(*http.Request) string
	exempt  map[string]bool
	refuse  RefuseFunc
	now     func() time.Time
}

// New returns a Limiter. address finds a request's client address; requests to the exempt paths (the
// probes) are never counted.
func New(cfg Config, address func(*http.Request) string, exempt []string, refuse RefuseFunc) *Limiter {
	l := &Limiter{cfg: cfg, buckets: newBuckets(cfg.MaxBuckets), address: address, exempt: map[string]bool{}, refuse: refuse, now: time.Now}
	for _, p := range exempt {
		l.exempt[p] = true
	}
	return l
}

// Middleware counts each request against its bucket and refuses it when the bucket is empty.
func (l *Limiter) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if l.exempt[r.URL.Path] {
			next.ServeHTTP(w, r)
			return
		}
		addr := l.address(r)
		ceiling := kind{name: "address", what: "requests", who: "from this address", key: "all\x00" + addr, limit: l.cfg.Address}
		// The caller's own bucket first: a request it refuses must not also drain the ceiling every caller at
		// that address shares, or one greedy script would shut out its neighbours.
		for _, k := range []kind{l.kindOf(r, addr), ceiling} {
			if !k.limit.on() {
				continue
			}
			if ok, wait := l.buckets.take(k.key, k.limit, l.now()); !ok {
				seconds := max(1, int(math.Ceil(wait.Seconds())))
				l.refuse(w, r, k.name, time.Duration(seconds)*time.Second, fmt.Sprintf(
					"too many %s %s: the limit is %d a second with bursts of %d; retry in %d s",
					k.what, k.who, k.limit.PerSecond, k.limit.Burst, seconds))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// kind is the bucket a request takes from, and how a refusal names it.
type kind struct {
	name, what, who, key string
	limit                Limit
}

// kindOf chooses the bucket of r, from the client address addr.
func (l *Limiter) kindOf(r *http.Request, addr string) kind {
	token, refusal := bearer.FromRequest(r)
	claims, ok := bearer.Unverified(token)
	if refusal != nil || !ok {
		return kind{name: "anonymous", what: "requests without a usable token", who: "from this address",
			key: "address\x00" + addr, limit: l.cfg.Anonymous}
	}
	caller := callerKey(claims, addr)
	const who = "from this caller"
	switch {
	case isExport(r.URL.Path):
		return kind{name: "exports", what: "exports", who: who, key: caller + "\x00exports", limit: l.cfg.Exports}
	case isWrite(r.Method):
		return kind{name: "writes", what: "writes", who: who, key: caller + "\x00writes", limit: l.cfg.Writes}
	}
	return kind{name: "reads", what: "reads", who: who, key: caller + "\x00reads", limit: l.cfg.Reads}
}

// callerKey is a fixed-size key for a caller at an address: claims are as long as a token allows
// (kilobytes), and the bound on buckets must bound memory too. The length prefixes keep ("ab", "c") and
// ("a", "bc") apart.
func callerKey(c bearer.Claims, addr string) string {
	sum := sha256.Sum256([]byte(strconv.Itoa(len(c.Subject)) + ":" + c.Subject + strconv.Itoa(len(c.Org)) + ":" + c.Org + addr))
	return "caller\x00" + string(sum[:])
}

// isExport reports whether path is an export: a file built from much of a service's data.
func isExport(path string) bool {
	return strings.HasPrefix(path, "/v1/exports/") || strings.HasSuffix(path, ":export") || strings.HasSuffix(path, ":csv")
}

func isWrite(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}
