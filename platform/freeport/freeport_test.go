package freeport

import (
	"fmt"
	"net"
	"testing"
)

func TestPortsAreFreeDistinctAndBelowTheEphemeralRange(t *testing.T) {
	seen := map[int]bool{}
	for range 20 {
		port, err := Port()
		if err != nil {
			t.Fatal(err)
		}
		if seen[port] || port < low || port >= high {
			t.Fatalf("port %d: seen before %v, or outside [%d, %d)", port, seen[port], low, high)
		}
		seen[port] = true
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			t.Fatalf("port %d cannot be bound: %v", port, err)
		}
		l.Close()
	}
}
