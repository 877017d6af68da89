// Package binaries builds the suite's five binaries as static Linux executables and reads their settings'
// defaults from their `env` subcommand, so that images and manifest checks use the binaries' own values.
package binaries

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
)

// Names are the binaries, each built from the package at Package(name).
var Names = []string{"partnership", "network", "finance", "reporting", "notification", "gateway"}

// Package returns the package path, relative to the repository root, of the binary name.
func Package(name string) string {
	if name == "gateway" {
		return "./gateway"
	}
	return "./services/" + name
}

// Root returns the repository root: the nearest directory at or above dir that holds go.work.
func Root(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.work in this directory or any above it")
		}
		dir = parent
	}
}

// Build compiles every binary in one go command into outDir/<name>, for linux/goarch, static (CGO
// disabled) and without file system paths (-trimpath), as the Dockerfile does; the go build cache makes a
// repeated build cheap.
func Build(root, outDir, goarch string) error {
	args := []string{"build", "-trimpath", "-ldflags=-s -w", "-o", outDir + string(filepath.Separator)}
	for _, n := range Names {
		args = append(args, Package(n))
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+goarch)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	return nil
}

// envRow is one row of the Markdown table `<binary> env` prints: | `NAME` | `default` | meaning |.
var envRow = regexp.MustCompile("^\\| `([A-Z0-9_]+)` \\| `(.*)` \\| (.*) \\|$")

// Defaults runs `<bin> env` and returns each variable's default ("" for one shown as (empty)). It needs
// a binary this machine can run (see Build's goarch).
func Defaults(bin string) (map[string]string, error) {
	out, err := exec.Command(bin, "env").Output()
	if err != nil {
		return nil, fmt.Errorf("%s env: %w", bin, err)
	}
	defaults := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if m := envRow.FindStringSubmatch(sc.Text()); m != nil {
			if m[2] == "(empty)" {
				m[2] = ""
			}
			defaults[m[1]] = m[2]
		}
	}
	if len(defaults) == 0 {
		return nil, fmt.Errorf("%s env printed no settings table", bin)
	}
	return defaults, nil
}

// Listen maps each setting that holds a listen address to the name its port goes by, in a container's
// ports and in an image's exposed ports' documentation: a binary listens on the port of each it has.
var Listen = map[string]string{"GRPC_ADDR": "grpc", "METRICS_ADDR": "metrics", "HTTP_ADDR": "http"}

// Ports returns, sorted, the TCP ports a binary with these defaults listens on, as "9091/tcp".
func Ports(defaults map[string]string) ([]string, error) {
	var ports []string
	for variable := range Listen {
		addr, ok := defaults[variable]
		if !ok {
			continue
		}
		_, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, fmt.Errorf("%s=%q: %w", variable, addr, err)
		}
		ports = append(ports, port+"/tcp")
	}
	sort.Strings(ports)
	return ports, nil
}

// HostArch is the architecture whose binaries this machine runs, the default target.
var HostArch = runtime.GOARCH
