//go:build unix

package postgres

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"strconv"
	"syscall"
)

// osUser is the account the private cluster's programs run as. initdb and postgres refuse to run as root, so
// a root caller (a CI container, a fresh machine's shell) runs them as the machine's "postgres" account, which
// Debian's PostgreSQL packages create, and hands that account the files the server writes.
type osUser struct {
	other    bool // true when the programs run as an account other than the caller's
	uid, gid int
}

// clusterOwner is the caller itself, or "postgres" when the caller is root.
func clusterOwner() (osUser, error) {
	if os.Geteuid() != 0 {
		return osUser{}, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return osUser{}, errors.New("a private cluster cannot be made as root without a \"postgres\" account to run it " +
			"(initdb and pg_ctl refuse to run as root); install PostgreSQL (Debian: apt-get install postgresql), " +
			"run as a normal user, or set DATABASE_URL")
	}
	uid, errU := strconv.Atoi(u.Uid)
	gid, errG := strconv.Atoi(u.Gid)
	if errU != nil || errG != nil {
		return osUser{}, fmt.Errorf("the postgres account has a non-numeric uid or gid (%s:%s)", u.Uid, u.Gid)
	}
	return osUser{other: true, uid: uid, gid: gid}, nil
}

// runAs makes cmd run as the account.
func (o osUser) runAs(cmd *exec.Cmd) {
	if !o.other {
		return
	}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Credential = &syscall.Credential{Uid: uint32(o.uid), Gid: uint32(o.gid)}
}

// makeDir creates dir for the account to write in.
func (o osUser) makeDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if o.other {
		return os.Chown(dir, o.uid, o.gid)
	}
	return nil
}

// makeFile makes sure the account can append to path (the server's log).
func (o osUser) makeFile(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	if o.other {
		return os.Chown(path, o.uid, o.gid)
	}
	return nil
}
