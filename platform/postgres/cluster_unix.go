//go:build unix

package postgres

import (
	"os"
	"os/exec"
	"syscall"
)

// lockFile takes an exclusive flock on path, waiting for any other holder, and returns its release. The
// kernel drops the lock if the process dies, so a crashed `make test` never leaves runDir locked.
func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// detach puts cmd (and so the server pg_ctl starts) in a new session, out of reach of the terminal's
// Ctrl-C.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
}
