//go:build !unix

package postgres

import (
	"errors"
	"os/exec"
)

// lockFile refuses: the private cluster relies on flock and on initdb/pg_ctl behaving as on Unix.
func lockFile(string) (func(), error) {
	return nil, errors.New("a private cluster is only made on Unix; " + installHint)
}

// detach has nothing to do where no private cluster is made.
func detach(*exec.Cmd) {}

// osUser has nothing to do where no private cluster is made.
type osUser struct{ other bool }

func clusterOwner() (osUser, error)  { return osUser{}, nil }
func (osUser) runAs(*exec.Cmd)       {}
func (osUser) makeDir(string) error  { return nil }
func (osUser) makeFile(string) error { return nil }
