// Command images builds the suite's five OCI images as tarballs, without a Docker daemon: it compiles the
// static binaries, reads each one's ports from its `env` defaults, and writes <out>/<name>.tar holding the
// image <repo>/<name>:<tag>. `make images` runs it; deploy/README.md says how to load or push the result.
//
//	go run ./deploy/cmd/images [-out .bin/images] [-tag dev] [-repo partnerskap] [-arch amd64]
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/partnerskap/partnerskap/deploy/internal/binaries"
	"github.com/partnerskap/partnerskap/deploy/internal/image"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "images:", err)
		os.Exit(1)
	}
}

func run() error {
	out := flag.String("out", ".bin/images", "directory for the tarballs, relative to the repository root")
	tag := flag.String("tag", "dev", "image tag, also the version label; never latest")
	repo := flag.String("repo", "partnerskap", "repository prefix: images are <repo>/<name>:<tag>")
	arch := flag.String("arch", binaries.HostArch, "target GOARCH")
	ca := flag.String("ca", "/etc/ssl/certs/ca-certificates.crt", "CA certificate bundle to install in the images")
	flag.Parse()
	if *tag == "latest" || *tag == "" {
		return fmt.Errorf("-tag %q: name a version", *tag)
	}
	root, err := binaries.Root(".")
	if err != nil {
		return err
	}
	certs, err := os.ReadFile(*ca)
	if err != nil {
		return fmt.Errorf("CA certificates (install Debian's ca-certificates, or pass -ca): %w", err)
	}
	outDir := *out
	if !filepath.IsAbs(outDir) {
		outDir = filepath.Join(root, outDir)
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "partnerskap-images-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	built := filepath.Join(tmp, "target")
	if err := binaries.Build(root, built, *arch); err != nil {
		return err
	}
	// Ports come from the binaries' own defaults, which only a binary for this machine can print.
	hostBuilt := built
	if *arch != binaries.HostArch {
		hostBuilt = filepath.Join(tmp, "host")
		if err := binaries.Build(root, hostBuilt, binaries.HostArch); err != nil {
			return err
		}
	}
	created, err := sourceDate()
	if err != nil {
		return err
	}
	rev := revision(root)
	for _, n := range binaries.Names {
		defaults, err := binaries.Defaults(filepath.Join(hostBuilt, n))
		if err != nil {
			return err
		}
		ports, err := binaries.Ports(defaults)
		if err != nil {
			return err
		}
		bin, err := os.ReadFile(filepath.Join(built, n))
		if err != nil {
			return err
		}
		img, err := image.Build(image.Spec{
			Name: n, Binary: bin, Ports: ports, Arch: *arch,
			Version: *tag, Revision: rev, Created: created, CACerts: certs,
		})
		if err != nil {
			return err
		}
		ref := *repo + "/" + n + ":" + *tag
		path := filepath.Join(outDir, n+".tar")
		if err := image.Write(path, ref, img); err != nil {
			return fmt.Errorf("%s: %w", ref, err)
		}
		digest, err := img.Digest()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		fmt.Printf("%-32s %s  %s\n", ref, digest, rel)
	}
	return nil
}

// sourceDate is SOURCE_DATE_EPOCH when set (the reproducible-builds convention), else the Unix epoch:
// never the current time, so that a rebuild of the same source gives the same digests.
func sourceDate() (time.Time, error) {
	v := os.Getenv("SOURCE_DATE_EPOCH")
	if v == "" {
		return time.Unix(0, 0).UTC(), nil
	}
	sec, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q: %w", v, err)
	}
	return time.Unix(sec, 0).UTC(), nil
}

// revision is the commit checked out, or "" outside a git work tree.
func revision(root string) string {
	out, err := exec.Command("git", "-C", root, "rev-parse", "HEAD").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
