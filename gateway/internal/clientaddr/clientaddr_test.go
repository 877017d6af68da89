package clientaddr

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestOf(t *testing.T) {
	r, err := New([]string{"10.0.0.0/8", "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, peer string
		forwarded  []string
		want       string
	}{
		{"untrusted peer, header ignored", "203.0.113.9:5555", []string{"198.51.100.1"}, "203.0.113.9"},
		{"trusted peer, no header", "10.1.2.3:80", nil, "10.1.2.3"},
		{"trusted peer names the client", "10.1.2.3:80", []string{"198.51.100.1"}, "198.51.100.1"},
		{"forged entries left of the client are ignored", "10.1.2.3:80", []string{"1.1.1.1, 198.51.100.1"}, "198.51.100.1"},
		{"a chain of trusted proxies", "192.0.2.1:80", []string{"198.51.100.1, 10.9.9.9"}, "198.51.100.1"},
		{"two headers", "10.1.2.3:80", []string{"1.1.1.1", "198.51.100.1, 10.0.0.2"}, "198.51.100.1"},
		{"every hop trusted", "10.1.2.3:80", []string{"10.0.0.5"}, "10.0.0.5"},
		{"garbage stops the walk", "10.1.2.3:80", []string{"198.51.100.1, nonsense"}, "10.1.2.3"},
		{"IPv6 peer", "[2001:db8::1]:443", nil, "2001:db8::1"},
		{"IPv4-mapped peer", "[::ffff:203.0.113.9]:1", nil, "203.0.113.9"},
	}
	for _, tc := range cases {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.RemoteAddr = tc.peer
		for _, v := range tc.forwarded {
			req.Header.Add("X-Forwarded-For", v)
		}
		if got := r.Of(req); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestNewRefusesWhatIsNotAnAddress(t *testing.T) {
	if _, err := New([]string{"10.0.0.0/8", "proxy.internal"}); err == nil {
		t.Fatal("a host name was accepted")
	}
}

func FuzzOf(f *testing.F) {
	for _, s := range []string{"198.51.100.1", "1.1.1.1, 10.0.0.1", "[2001:db8::1]:80, x", ", ,", "::ffff:1.2.3.4%eth0"} {
		f.Add(s)
	}
	r, _ := New([]string{"10.0.0.0/8", "127.0.0.1"})
	f.Fuzz(func(t *testing.T, forwarded string) {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.RemoteAddr = "127.0.0.1:1"
		req.Header.Set("X-Forwarded-For", forwarded)
		if got := r.Of(req); got == "" || len(got) > 45 {
			t.Fatalf("%q gave %q", forwarded, got)
		}
	})
}
