// Package clientaddr tells which address a request came from, for limits kept per address.
//
// The peer of the TCP connection is the client unless it is a proxy the operator trusts (TRUSTED_PROXIES):
// only then is X-Forwarded-For read, from the right, since each trusted proxy appends the address it saw,
// and everything left of the first untrusted entry was written by the client and may be forged. A gateway
// that trusted the header from anyone would let every caller pick a fresh address per request.
package clientaddr

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Resolver finds a request's client address.
type Resolver struct {
	trusted []netip.Prefix
}

// New returns a Resolver that trusts the proxies listed, each an IP address or a CIDR prefix.
func New(trustedProxies []string) (Resolver, error) {
	var r Resolver
	for _, s := range trustedProxies {
		s = strings.TrimSpace(s)
		if p, err := netip.ParsePrefix(s); err == nil {
			r.trusted = append(r.trusted, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return Resolver{}, fmt.Errorf("%q is neither an IP address nor a CIDR prefix", s)
		}
		a = a.Unmap()
		r.trusted = append(r.trusted, netip.PrefixFrom(a, a.BitLen()))
	}
	return r, nil
}

// Of returns the client address of req, as text.
func (r Resolver) Of(req *http.Request) string {
	peer, ok := parse(req.RemoteAddr)
	if !ok {
		return req.RemoteAddr // not an address (only in tests); still a key of its own
	}
	if !r.isTrusted(peer) {
		return peer.String()
	}
	// The entries of every X-Forwarded-For header, in order; a proxy may add a header or extend the last.
	var hops []string
	for _, v := range req.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		hop, ok := parse(strings.TrimSpace(hops[i]))
		if !ok {
			break // a trusted proxy never writes this; the nearest address known is the answer
		}
		client = hop
		if !r.isTrusted(hop) {
			break
		}
	}
	return client.String()
}

func (r Resolver) isTrusted(a netip.Addr) bool {
	for _, p := range r.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// parse reads an address with or without a port, IPv4-mapped IPv6 addresses as IPv4.
func parse(s string) (netip.Addr, bool) {
	if host, _, err := net.SplitHostPort(s); err == nil {
		s = host
	}
	a, err := netip.ParseAddr(strings.Trim(s, "[]"))
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap().WithZone(""), true
}
