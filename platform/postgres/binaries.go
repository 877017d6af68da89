package postgres

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// minMajor is the oldest PostgreSQL we support: DROP DATABASE ... WITH (FORCE) needs 13, and 14 is the
// oldest release still maintained upstream when this was written.
const minMajor = 14

// binDirGlobs are where distributions put initdb and pg_ctl outside PATH (Debian and Ubuntu, then the
// PGDG RPMs, then a source build).
var binDirGlobs = []string{"/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "/usr/local/pgsql/bin"}

// findBinaries returns the directory holding initdb and pg_ctl to use: of major version want when want is
// not 0 (an existing cluster), else the highest version found that is at least minMajor.
func findBinaries(ctx context.Context, want int) (string, error) {
	var dirs []string
	if p, err := exec.LookPath("initdb"); err == nil {
		dirs = append(dirs, filepath.Dir(p))
	}
	for _, g := range binDirGlobs {
		m, _ := filepath.Glob(g) // the patterns are constant and valid
		dirs = append(dirs, m...)
	}
	best, bestMajor, seen := "", 0, []int(nil)
	for _, d := range dirs {
		if !executable(filepath.Join(d, "initdb")) || !executable(filepath.Join(d, "pg_ctl")) {
			continue
		}
		major, err := binMajor(ctx, d)
		if err != nil {
			continue
		}
		seen = append(seen, major)
		if (want != 0 && major == want) || (want == 0 && major >= minMajor && major > bestMajor) {
			best, bestMajor = d, major
		}
	}
	switch {
	case best != "":
		return best, nil
	case want != 0:
		return "", fmt.Errorf("the private cluster was made by PostgreSQL %d, "+
			"whose initdb/pg_ctl are not installed (found %v); "+
			"install PostgreSQL %d, or remove its pgdata directory to have a new one made", want, seen, want)
	case len(seen) > 0:
		return "", fmt.Errorf("only PostgreSQL %v found, too old; %s", seen, installHint)
	default:
		return "", fmt.Errorf("no initdb/pg_ctl found in PATH or %s; %s", strings.Join(binDirGlobs, ", "), installHint)
	}
}

// binMajor asks pg_ctl in dir for its version ("pg_ctl (PostgreSQL) 15.8 (Debian 15.8-1)") and returns the
// major number. Asking the binary beats trusting the directory name, which PATH entries do not carry.
func binMajor(ctx context.Context, dir string) (int, error) {
	out, err := exec.CommandContext(ctx, filepath.Join(dir, "pg_ctl"), "--version").Output()
	if err != nil {
		return 0, err
	}
	_, rest, ok := strings.Cut(string(out), "(PostgreSQL) ")
	if !ok {
		return 0, fmt.Errorf("unexpected pg_ctl --version output %q", out)
	}
	end := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
	if end < 0 {
		end = len(rest)
	}
	return strconv.Atoi(rest[:end])
}

// executable reports whether path is a regular file someone may execute.
func executable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}
