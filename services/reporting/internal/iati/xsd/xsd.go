// Package xsd validates XML documents against the IATI 2.03 activity schema (iati-activities-schema.xsd with
// the iati-common.xsd and xml.xsd it includes), for tests: Go has no XSD validator, so it runs xmllint from
// libxml2. The schemas are embedded and written once per machine into a folder of the temporary directory
// named by their content, so any test, from any package directory, validates against the same bytes.
//
// A missing xmllint is an error, never a skip: a test that cannot validate must not pass. The error says what
// to install.
package xsd

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// DebianVersion is the libxml2-utils version the Makefile pins (XMLLINT_DEB_VERSION); keep the two in step.
const DebianVersion = "2.9.14+dfsg-1.3~deb12u6"

// InstallHint is the sentence a missing xmllint produces.
const InstallHint = "xmllint is not on the PATH; the IATI XSD checks need it. Install it with `make xmllint` " +
	"(as root: installs the pinned package), or on Debian/Ubuntu: " +
	"sudo apt-get update && sudo apt-get install -y --no-install-recommends libxml2-utils=" + DebianVersion +
	" (any libxml2-utils will do; elsewhere the package that provides xmllint, libxml2)"

//go:embed schemas/*.xsd
var schemaFiles embed.FS

// activitiesSchema is the entry point; it includes and imports the other two from its own folder.
const activitiesSchema = "iati-activities-schema.xsd"

// schemaDir writes the schemas once per process (and only when their content changed, once per machine) and
// returns the folder holding them.
var schemaDir = sync.OnceValues(func() (string, error) { return writeSchemas(schemaFiles, os.TempDir()) })

// Validate checks the XML file at xmlPath against the IATI 2.03 activity schema. It returns nil when xmllint
// accepts the file, and otherwise an error quoting xmllint's findings (the line and the element at fault).
func Validate(ctx context.Context, xmlPath string) error {
	return run(ctx, xmlPath, nil)
}

// ValidateReader is Validate for a document that is not in a file: xmllint reads it from r.
func ValidateReader(ctx context.Context, r io.Reader) error {
	return run(ctx, "-", r)
}

func run(ctx context.Context, arg string, stdin io.Reader) error {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		return errors.New(InstallHint)
	}
	dir, err := schemaDir()
	if err != nil {
		return err
	}
	// --nonet: everything the schema needs is local, and a test must not depend on w3.org answering.
	cmd := exec.CommandContext(ctx, xmllint, "--noout", "--nonet", "--schema", filepath.Join(dir, activitiesSchema), arg)
	cmd.Stdin = stdin
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		name := arg
		if arg == "-" {
			name = "the document"
		}
		return fmt.Errorf("%s does not validate against the IATI 2.03 activity schema (%v):\n%s", name, err, trim(out.String()))
	}
	return nil
}

// trim keeps xmllint's report readable in a test log: a document with thousands of bad activities reports each.
func trim(s string) string {
	const max = 40
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) <= max {
		return strings.Join(lines, "\n")
	}
	return strings.Join(lines[:max], "\n") + fmt.Sprintf("\n... and %d more lines", len(lines)-max)
}

// writeSchemas copies the embedded schemas into base/partnerskap-iati-xsd-<hash of their content>/, unless a
// complete copy is already there. Files are written under a temporary name and renamed, so concurrent test
// processes never see half a schema.
func writeSchemas(fsys fs.FS, base string) (string, error) {
	names, err := fs.Glob(fsys, "schemas/*.xsd")
	if err != nil || len(names) == 0 {
		return "", fmt.Errorf("xsd: no embedded schemas (%v)", err)
	}
	h := sha256.New()
	contents := make(map[string][]byte, len(names))
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return "", err
		}
		contents[filepath.Base(name)] = b
		fmt.Fprintf(h, "%s %d\n", filepath.Base(name), len(b))
		h.Write(b)
	}
	dir := filepath.Join(base, "partnerskap-iati-xsd-"+hex.EncodeToString(h.Sum(nil))[:16])
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("xsd: %w", err)
	}
	for name, b := range contents {
		path := filepath.Join(dir, name)
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, b) {
			continue
		}
		tmp, err := os.CreateTemp(dir, name+".*")
		if err != nil {
			return "", fmt.Errorf("xsd: %w", err)
		}
		_, werr := tmp.Write(b)
		cerr := tmp.Close()
		if err := errors.Join(werr, cerr, os.Chmod(tmp.Name(), 0o644)); err != nil {
			os.Remove(tmp.Name())
			return "", fmt.Errorf("xsd: write %s: %w", name, err)
		}
		if err := os.Rename(tmp.Name(), path); err != nil {
			os.Remove(tmp.Name())
			return "", fmt.Errorf("xsd: %w", err)
		}
	}
	return dir, nil
}
