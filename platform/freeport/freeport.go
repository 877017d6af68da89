// Package freeport picks a loopback TCP port for a server a test or `make run` starts and that binds it a
// moment later.
//
// Asking the kernel for port 0 returns a port of the ephemeral range, the same range outgoing connections
// take their source ports from: under load (test packages in parallel, each with database and gRPC clients)
// one of them can take the port between the pick and the bind, and the server fails with "address already in
// use". So the ports handed out here lie below the ephemeral range, where no outgoing connection lands, and
// a process never hands out one port twice.
package freeport

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"sync"
)

// The ports picked from: below Linux's default ephemeral range (32768-60999) and above the usual services.
const (
	low  = 20000
	high = 32000
)

var (
	mu    sync.Mutex
	given = map[int]bool{}
)

// Port returns a loopback port no one listens on now, never one this process returned before.
func Port() (int, error) {
	mu.Lock()
	defer mu.Unlock()
	for range 200 {
		port := low + rand.IntN(high-low)
		if given[port] {
			continue
		}
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			continue // someone listens there
		}
		l.Close()
		given[port] = true
		return port, nil
	}
	return 0, errors.New("freeport: no free loopback port found")
}

// Addr is Port as "127.0.0.1:<port>".
func Addr() (string, error) {
	port, err := Port()
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("127.0.0.1:%d", port), nil
}
