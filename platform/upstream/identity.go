package upstream

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc/metadata"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/requestid"
)

// Identity is a service's own bearer token, for calls made on its own behalf rather than a caller's (the
// reporting service reading event streams). conventions.md: service-to-service calls carry the caller's
// token or the calling service's own identity.
type Identity interface {
	Token(ctx context.Context) (string, error)
}

// devIdentity signs its own development tokens with the development key the services trust, renewing them
// well before they expire.
type devIdentity struct {
	mu                 sync.Mutex
	keyFile            string
	issuer, audience   string
	principal          auth.Principal
	token              string
	expires            time.Time
	lifetime, renewals time.Duration
}

// DevIdentity returns the identity of a service in development mode: tokens of principal signed with the key
// in keyFile (created when missing, as the services do).
func DevIdentity(keyFile, issuer, audience string, principal auth.Principal) Identity {
	return &devIdentity{keyFile: keyFile, issuer: issuer, audience: audience, principal: principal,
		lifetime: time.Hour, renewals: 10 * time.Minute}
}

func (d *devIdentity) Token(context.Context) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.token != "" && time.Until(d.expires) > d.renewals {
		return d.token, nil
	}
	key, err := auth.EnsureDevKey(d.keyFile)
	if err != nil {
		return "", err
	}
	token, err := auth.IssueDevToken(key, d.issuer, d.audience, d.principal, d.lifetime)
	if err != nil {
		return "", err
	}
	d.token, d.expires = token, time.Now().Add(d.lifetime)
	return token, nil
}

// fileIdentity reads the token from a file that something outside the service keeps fresh (an OIDC
// client-credentials sidecar, a projected Kubernetes secret), re-reading it when it changes.
type fileIdentity struct {
	mu       sync.Mutex
	path     string
	modified time.Time
	token    string
}

// FileIdentity returns an identity whose token is the content of path.
func FileIdentity(path string) Identity { return &fileIdentity{path: path} }

func (f *fileIdentity) Token(context.Context) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	info, err := os.Stat(f.path)
	if err != nil {
		return "", fmt.Errorf("service token: %w", err)
	}
	if f.token == "" || !info.ModTime().Equal(f.modified) {
		b, err := os.ReadFile(f.path)
		if err != nil {
			return "", fmt.Errorf("service token: %w", err)
		}
		token := strings.TrimSpace(string(b))
		if token == "" {
			return "", errors.New("service token: the file is empty")
		}
		f.token, f.modified = token, info.ModTime()
	}
	return f.token, nil
}

// OutgoingAs bounds a call and sends it with the service's own token (and the request id of ctx, if any).
func (c *Conn) OutgoingAs(ctx context.Context, id Identity) (context.Context, context.CancelFunc, error) {
	token, err := id.Token(ctx)
	if err != nil {
		return ctx, func() {}, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	md := metadata.Pairs("authorization", "Bearer "+token)
	if rid := requestid.From(ctx); rid != "" {
		md.Set(requestid.Header, rid)
	}
	return metadata.NewOutgoingContext(ctx, md), cancel, nil
}
